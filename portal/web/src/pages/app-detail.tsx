// One app: its status (a live app waits for the operator), its plan's limits, and tabs for API keys, OAuth
// clients, signing keys and usage. The tab is in the URL (?tab=), so it survives a reload and can be linked.
import { Badge, Card, ErrorNotice, Loading, Notice, PageHeader } from '../components/ui';
import { formatCount, formatDate } from '../lib/format';
import { canChange, unwrap, useLoad, useSession, type Schemas } from '../lib/platform';
import { Link, useLocation } from '../lib/router';
import { ApiKeysTab } from './app-api-keys';
import { OAuthClientsTab } from './app-oauth-clients';
import { SigningKeysTab } from './app-signing-keys';
import { UsagePanel } from './usage';

const TABS = [
  { id: 'keys', label: 'API keys' },
  { id: 'oauth', label: 'OAuth clients' },
  { id: 'signing', label: 'Signing keys' },
  { id: 'usage', label: 'Usage' },
] as const;

export function AppDetailPage({ appId }: { appId: string }) {
  const session = useSession();
  const { search } = useLocation();
  const tab = TABS.find((t) => t.id === search.get('tab'))?.id ?? 'keys';
  const app = useLoad((api) => unwrap(api.getApp({ params: { path: { appId } } })), [appId]);
  const plan = useLoad(
    (api) => unwrap(api.getPlan({ params: { path: { planId: session.partner.planId } } })),
    [session.partner.planId],
  );
  if (app.error) return <ErrorNotice error={app.error} />;
  if (!app.data) return <Loading />;
  const a = app.data;
  const editable = canChange(session, a.environment) && a.status === 'active';
  return (
    <>
      <p className="breadcrumb">
        <Link to="/apps">Apps & keys</Link> / <span>{a.name}</span>
      </p>
      <PageHeader
        title={
          <>
            {a.name} <Badge value={a.environment} />{' '}
            <Badge
              value={a.status}
              label={a.status === 'pending_approval' ? 'awaiting approval' : undefined}
            />
          </>
        }
        subtitle={a.description ?? undefined}
      />
      {a.status === 'pending_approval' ? (
        <Notice tone="warning">
          This live app is waiting for the operator&rsquo;s approval. You can add credentials once it is
          approved; you will see its status change here.
        </Notice>
      ) : null}
      {a.status === 'rejected' ? (
        <Notice tone="warning">
          The operator rejected this app{a.statusReason ? `: ${a.statusReason}` : '.'} Create a new app to try
          again.
        </Notice>
      ) : null}
      <div className="grid-2">
        <Card title="App">
          <dl className="facts">
            <dt>App id</dt>
            <dd className="mono">{a.id}</dd>
            <dt>Scopes</dt>
            <dd className="scopes">
              {a.scopes.map((s) => (
                <code key={s}>{s}</code>
              ))}
            </dd>
            <dt>Created</dt>
            <dd>{formatDate(a.createdAt)}</dd>
          </dl>
        </Card>
        <PlanCard plan={plan.data} error={plan.error} />
      </div>
      <div className="tabs" role="tablist" aria-label="App sections">
        {TABS.map((t) => (
          <Link
            key={t.id}
            to={`/apps/${a.id}?tab=${t.id}`}
            role="tab"
            aria-selected={tab === t.id}
            className="tab"
          >
            {t.label}
          </Link>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'keys' ? <ApiKeysTab app={a} editable={editable} /> : null}
        {tab === 'oauth' ? <OAuthClientsTab app={a} editable={editable} /> : null}
        {tab === 'signing' ? <SigningKeysTab app={a} editable={editable} /> : null}
        {tab === 'usage' ? <UsagePanel appId={a.id} /> : null}
      </div>
    </>
  );
}

function PlanCard({ plan, error }: { plan: Schemas['Plan'] | undefined; error: Error | undefined }) {
  return (
    <Card title={plan ? `Plan: ${plan.name}` : 'Plan'}>
      <ErrorNotice error={error} />
      {plan ? (
        <dl className="facts">
          {plan.rateLimits.map((r) => (
            <FactPair
              key={`r-${r.name}`}
              term={`Rate limit “${r.name}”`}
              value={`${formatCount(r.limit)} requests / ${r.windowSeconds === 1 ? 'second' : `${r.windowSeconds} s`}`}
            />
          ))}
          {plan.quotas.map((q) => (
            <FactPair
              key={`q-${q.name}`}
              term={`Quota “${q.name}”`}
              value={`${formatCount(q.limit)} requests / ${q.period}`}
            />
          ))}
          <FactPair term="APIs" value={plan.apis.join(', ')} />
        </dl>
      ) : null}
    </Card>
  );
}

function FactPair({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
}
