// The home page: the first-call checklist for a new partner, today's numbers, and where to go next.
import { Card, ErrorNotice, PageHeader, Stat } from '../components/ui';
import { formatCount, formatMs } from '../lib/format';
import { unwrap, useLoad, useSession } from '../lib/platform';
import { Link } from '../lib/router';
import { gatewayUrl } from '../lib/site';

export function OverviewPage() {
  const session = useSession();
  const apps = useLoad((api) => unwrap(api.listApps({ params: { query: { limit: 100 } } })), []);
  const today = new Date().toISOString().slice(0, 10);
  const usage = useLoad(
    (api) => unwrap(api.getPartnerUsage({ params: { query: { from: today, to: today } } })),
    [today],
  );
  const testApp = apps.data?.data.find((a) => a.environment === 'test' && a.status === 'active');
  const keys = useLoad(
    async (api) =>
      testApp
        ? (await unwrap(api.listApiKeys({ params: { path: { appId: testApp.id }, query: { limit: 100 } } })))
            .data
        : [],
    [testApp?.id],
  );
  const totals = usage.data?.totals as
    (NonNullable<typeof usage.data>['totals'] & { p95LatencyMs?: number }) | undefined;
  const steps = [
    { done: Boolean(testApp), label: 'Create a test app', to: '/apps' },
    {
      done: (keys.data?.length ?? 0) > 0,
      label: 'Create an API key',
      to: testApp ? `/apps/${testApp.id}?tab=keys` : '/apps',
    },
    {
      done: (keys.data ?? []).some((k) => k.lastUsedAt) || (totals?.requests ?? 0) > 0,
      label: 'Make your first call',
      to: '/docs/getting-started',
    },
  ];
  return (
    <>
      <PageHeader
        title={`Welcome, ${session.member.name ?? session.member.email}`}
        subtitle={`${session.partner.name} · partner id ${session.partner.id}`}
      />
      <ErrorNotice error={apps.error ?? usage.error} />
      {steps.some((s) => !s.done) ? (
        <Card title="Your first call in three steps">
          <ol className="checklist">
            {steps.map((step) => (
              <li key={step.label} className={step.done ? 'done' : undefined}>
                <span className="check" aria-hidden="true">
                  {step.done ? '✓' : ''}
                </span>
                {step.to.startsWith('/docs') ? (
                  <a href={step.to}>{step.label}</a>
                ) : (
                  <Link to={step.to}>{step.label}</Link>
                )}
                {step.done ? <span className="visually-hidden"> (done)</span> : null}
              </li>
            ))}
          </ol>
          <pre className="code">{`curl ${gatewayUrl()}/crm/v1/customers -H "X-API-Key: $PORTICO_API_KEY"`}</pre>
        </Card>
      ) : null}
      <div className="stats">
        <Stat label="Requests today" value={formatCount(totals?.requests ?? 0)} />
        <Stat label="Errors today" value={formatCount(totals?.errors ?? 0)} />
        <Stat label="Latency p95 today" value={formatMs(totals?.p95LatencyMs ?? 0)} />
        <Stat label="Apps" value={formatCount(apps.data?.data.length ?? 0)} />
      </div>
      <div className="grid-3">
        <Card title="Apps & keys">
          <p>Create test and live apps, then API keys, OAuth clients or signing keys for each.</p>
          <Link to="/apps">Manage apps →</Link>
        </Card>
        <Card title="API reference">
          <p>CRM, orders and entitlements, with “Try it” using your test key.</p>
          <a href="/docs">Open the docs →</a>
        </Card>
        <Card title="Request log">
          <p>Find any call by its request id, status or operation.</p>
          <Link to="/requests">Search requests →</Link>
        </Card>
      </div>
    </>
  );
}
