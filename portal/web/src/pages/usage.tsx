// Usage: requests, errors and latency (p50/p95) over time for the partner, an app, a key or an operation; each
// app's quota against its plan; the busiest operations and keys. Counts come from the gateway's meter, which
// writes every second or so.
import { useState } from 'react';
import { TimeChart } from '../components/chart';
import {
  Button,
  Card,
  EmptyState,
  ErrorNotice,
  Loading,
  PageHeader,
  SelectField,
  Stat,
} from '../components/ui';
import { formatCount, formatDateTime, formatMs } from '../lib/format';
import { unwrap, useLoad, type Schemas } from '../lib/platform';
import { bucketLabel, bucketStarts, latencySeries, statusSeries, type Bucket } from '../lib/usage-series';
import type { Platform } from '@portico/sdk';

type Report = Schemas['UsageReport'];
type Row = Report['rows'][number];
type Totals = Report['totals'];
type Dimension = Schemas['UsageDimension'];

const RANGES = [
  { value: '24h', label: 'Last 24 hours', bucket: 'hour', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', bucket: 'day', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', bucket: 'day', ms: 30 * 86_400_000 },
] as const;

type RangeId = (typeof RANGES)[number]['value'];

interface Filters {
  range: RangeId;
  appId: string;
  credentialId: string;
  operationId: string;
}

export function UsagePage() {
  const apps = useLoad((api) => unwrap(api.listApps({ params: { query: { limit: 100 } } })), []);
  const [appId, setAppId] = useState('');
  return (
    <>
      <PageHeader title="Usage" subtitle="Every call through the gateway, by app, key and operation." />
      <ErrorNotice error={apps.error} />
      <div className="toolbar">
        <SelectField
          label="App"
          value={appId}
          onChange={(e) => setAppId(e.target.value)}
          options={[
            { value: '', label: 'All apps' },
            ...(apps.data?.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.environment})` })),
          ]}
        />
      </div>
      <UsagePanel key={appId} appId={appId || undefined} />
    </>
  );
}

/** The usage of one app (its Usage tab) or of the whole partner. */
export function UsagePanel({ appId }: { appId?: string | undefined }) {
  const [filters, setFilters] = useState<Filters>({
    range: '24h',
    appId: appId ?? '',
    credentialId: '',
    operationId: '',
  });
  const range = RANGES.find((r) => r.value === filters.range)!;
  const bucket: Bucket = range.bucket;
  const [nowMs, setNowMs] = useState(() => Date.now());
  const fromMs = nowMs - range.ms + (bucket === 'hour' ? 3_600_000 : 86_400_000);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const query = {
    from: day(fromMs),
    to: day(nowMs),
    ...(filters.credentialId ? { credentialId: filters.credentialId } : {}),
    ...(filters.operationId ? { operationId: filters.operationId } : {}),
  };
  const key = [appId, filters.range, filters.credentialId, filters.operationId, nowMs];

  const report = (groupBy: Dimension[]) => (api: Platform) =>
    unwrap(
      appId
        ? api.getAppUsage({ params: { path: { appId }, query: { ...query, groupBy } } })
        : api.getPartnerUsage({ params: { query: { ...query, groupBy } } }),
    );

  const byTimeAndStatus = useLoad(report([bucket, 'status']), key);
  const byTime = useLoad(report([bucket]), key);
  const byOperation = useLoad(report(['operation', 'status']), key);
  const byKey = useLoad(report(appId ? ['key'] : ['app']), key);
  const keys = useLoad(
    async (api) =>
      appId
        ? (await unwrap(api.listApiKeys({ params: { path: { appId }, query: { limit: 100 } } }))).data
        : [],
    [appId],
  );
  const apps = useLoad(
    async (api) => (await unwrap(api.listApps({ params: { query: { limit: 100 } } }))).data,
    [],
  );
  const appNames = new Map((apps.data ?? []).map((a) => [a.id, `${a.name} (${a.environment})`]));

  const error = byTimeAndStatus.error ?? byTime.error ?? byOperation.error ?? byKey.error;
  const starts = bucketStarts(bucket, fromMs, nowMs);
  const labels = starts.map((s) => bucketLabel(s, bucket));
  const statusRows = byTimeAndStatus.data?.rows ?? [];
  const status = statusSeries(statusRows, bucket, starts);
  const latency = latencySeries(byTime.data?.rows ?? [], bucket, starts);
  const totals: Totals | undefined = byTime.data?.totals;
  const operations = summariseOperations(byOperation.data?.rows ?? []);
  const keyNames = new Map((keys.data ?? []).map((k) => [k.id, `${k.name} (${k.prefix}…${k.last4})`]));

  return (
    <div className="stack-lg">
      <div className="toolbar">
        <SelectField
          label="Period"
          value={filters.range}
          onChange={(e) => setFilters((f) => ({ ...f, range: e.target.value as RangeId }))}
          options={RANGES}
        />
        {appId ? (
          <SelectField
            label="Key"
            value={filters.credentialId}
            onChange={(e) => setFilters((f) => ({ ...f, credentialId: e.target.value }))}
            options={[
              { value: '', label: 'All credentials' },
              ...[...keyNames].map(([value, label]) => ({ value, label })),
            ]}
          />
        ) : null}
        <SelectField
          label="Operation"
          value={filters.operationId}
          onChange={(e) => setFilters((f) => ({ ...f, operationId: e.target.value }))}
          options={[
            { value: '', label: 'All operations' },
            ...operations.map((o) => ({ value: o.operationId, label: `${o.api} · ${o.operationId}` })),
          ]}
        />
        <Button onClick={() => setNowMs(Date.now())} aria-label="Refresh usage">
          Refresh
        </Button>
      </div>
      <ErrorNotice error={error} />
      {!byTime.data && !error ? <Loading /> : null}
      {totals ? (
        <div className="stats" data-testid="usage-totals">
          <Stat label="Requests" value={formatCount(totals.requests)} />
          <Stat
            label="Errors"
            value={formatCount(totals.errors)}
            hint={totals.requests ? `${((100 * totals.errors) / totals.requests).toFixed(1)} %` : undefined}
          />
          <Stat label="Latency p50" value={formatMs(totals.p50LatencyMs)} />
          <Stat label="Latency p95" value={formatMs(totals.p95LatencyMs)} />
        </div>
      ) : null}
      {byTime.data ? (
        <div className="grid-2">
          <Card>
            <TimeChart
              title="Requests"
              kind="bars"
              labels={labels}
              series={[
                { name: 'Succeeded', values: status.ok, tone: 'series-1' },
                { name: '4xx', values: status.client, tone: 'series-3' },
                { name: '5xx', values: status.server, tone: 'series-4' },
              ]}
            />
          </Card>
          <Card>
            <TimeChart
              title="Latency at the gateway"
              kind="lines"
              unit="ms"
              labels={labels}
              series={[
                { name: 'p50', values: latency.p50, tone: 'series-1' },
                { name: 'p95', values: latency.p95, tone: 'series-2' },
              ]}
            />
          </Card>
        </div>
      ) : null}
      <QuotaCard quotas={byTime.data?.quotas ?? []} appNames={appNames} />
      <Card title="By operation">
        {operations.length === 0 ? (
          <EmptyState title="No calls in this period" />
        ) : (
          <table className="table" aria-label="Usage by operation">
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Average
                </th>
              </tr>
            </thead>
            <tbody>
              {operations.map((o) => (
                <tr key={`${o.api}/${o.operationId}`}>
                  <td>
                    <span className="muted">{o.api} · </span>
                    <code>{o.operationId}</code>
                  </td>
                  <td className="num">{formatCount(o.requests)}</td>
                  <td className="num">{formatCount(o.errors)}</td>
                  <td className="num">{formatMs(o.averageLatencyMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {byKey.data && byKey.data.rows.length > 0 ? (
        <Card title={appId ? 'By credential' : 'By app'}>
          <table className="table" aria-label={appId ? 'Usage by credential' : 'Usage by app'}>
            <thead>
              <tr>
                <th scope="col">{appId ? 'Credential' : 'App'}</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  p50
                </th>
                <th scope="col" className="num">
                  p95
                </th>
              </tr>
            </thead>
            <tbody>
              {byKey.data.rows.map((r) => {
                const id = appId ? (r.credentialId ?? '') : (r.appId ?? '');
                return (
                  <tr key={id}>
                    <td className="mono">{(appId ? keyNames.get(id) : appNames.get(id)) ?? (id || '—')}</td>
                    <td className="num">{formatCount(r.requests)}</td>
                    <td className="num">{formatMs(r.p50LatencyMs)}</td>
                    <td className="num">{formatMs(r.p95LatencyMs)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      ) : null}
    </div>
  );
}

function summariseOperations(rows: readonly Row[]) {
  const byOp = new Map<
    string,
    { api: string; operationId: string; requests: number; errors: number; latency: number }
  >();
  for (const r of rows) {
    const id = `${r.api}/${r.operationId}`;
    const entry = byOp.get(id) ?? {
      api: r.api ?? '',
      operationId: r.operationId ?? '',
      requests: 0,
      errors: 0,
      latency: 0,
    };
    entry.requests += r.requests;
    if ((r.status ?? 0) >= 400) entry.errors += r.requests;
    entry.latency += r.averageLatencyMs * r.requests;
    byOp.set(id, entry);
  }
  return [...byOp.values()]
    .map((e) => ({ ...e, averageLatencyMs: e.requests ? e.latency / e.requests : 0 }))
    .sort((a, b) => b.requests - a.requests);
}

function QuotaCard({
  quotas,
  appNames,
}: {
  quotas: Report['quotas'];
  appNames: ReadonlyMap<string, string>;
}) {
  if (quotas.length === 0) return null;
  return (
    <Card title="Quota against the plan">
      <ul className="quotas">
        {quotas.map((q) => {
          const pct = Math.min(100, (100 * q.used) / q.limit);
          return (
            <li key={`${q.appId}/${q.name}`}>
              <div className="quota-head">
                <span>
                  <code>{q.name}</code>{' '}
                  <span className="muted small">{appNames.get(q.appId) ?? q.appId}</span>
                </span>
                <span>
                  {formatCount(q.used)} / {formatCount(q.limit)} per {q.period}
                </span>
              </div>
              <progress
                className={pct >= 90 ? 'meter meter-hot' : 'meter'}
                max={q.limit}
                value={q.used}
                aria-label={`${q.name}: ${formatCount(q.used)} of ${formatCount(q.limit)} used`}
              />
              <p className="muted small">Resets {formatDateTime(q.resetsAt)}</p>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
