// The read side of metering (usage.ts writes): request counts and latency percentiles over a range of UTC days,
// grouped by the caller's dimensions, with each app's current consumption of its plan's quotas (platform spec,
// UsageReport). Everything is summed from usage_hourly, so it lags the gateway by one meter batch at most.
import { sql } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import { ProblemError } from '../../../internal/src/problem/problem';
import { fromJsonText } from '../../../internal/src/store/query-helpers';
import { requireApp } from './api-keys';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { PlanQuota } from './plans';
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKET_COLUMNS } from './usage';

/** The platform spec's UsageDimension: `operation` is the pair (api, operationId), `key` the credential. */
export type UsageDimension = 'day' | 'hour' | 'app' | 'key' | 'operation' | 'status';

export interface UsageReportQuery {
  /** First UTC day counted, `YYYY-MM-DD`; 29 days before `to` if absent. */
  from?: string;
  /** Last UTC day counted, `YYYY-MM-DD`; today (the clock's) if absent. */
  to?: string;
  /** Distinct dimensions; `['day']` if absent or empty. */
  groupBy?: readonly UsageDimension[];
  /** One app of the partner (404 if missing or deleted); every app, deleted ones included, if absent. */
  appId?: string;
  environment?: Environment;
  /** Only requests made with this credential (another partner's finds nothing). Quotas are not filtered. */
  credentialId?: string;
  /** Only requests to this operation. Quotas are not filtered. */
  operationId?: string;
}

export interface UsageRow {
  date?: string;
  /** UTC hour start, `YYYY-MM-DDTHH:00:00.000Z`. */
  hour?: string;
  appId?: string;
  /** null for counts metered before credentials were recorded (migration 0005). */
  credentialId?: string | null;
  api?: string;
  operationId?: string;
  status?: number;
  requests: number;
  averageLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

export interface UsageTotals {
  requests: number;
  /** Requests answered with a status of 400 or above. */
  errors: number;
  averageLatencyMs: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
}

export interface QuotaConsumption {
  appId: string;
  name: string;
  period: PlanQuota['period'];
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: UsageDimension[];
  totals: UsageTotals;
  rows: UsageRow[];
  quotas: QuotaConsumption[];
}

/** The platform spec's bounds: 30 days by default, 92 at most (a quarter), both ends inclusive. */
export const DEFAULT_USAGE_DAYS = 30;
export const MAX_USAGE_DAYS = 92;
/** Grouping by hour is for short charts: at most 7 days (168 points a series). */
export const MAX_HOURLY_USAGE_DAYS = 7;

const DAY_MS = 86_400_000;

/**
 * Counts the partner's requests (or one app's) over [from, to], grouped by `groupBy`, with the quotas of the apps
 * in scope: the app itself, or the partner's current apps (in `environment` if given). A range that ends before it
 * starts or spans more than 92 days is a 400 naming the parameter.
 */
export async function usageReport(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  query: UsageReportQuery,
): Promise<UsageReport> {
  const now = deps.clock.now();
  const { from, to } = resolveUsageRange(utcDay(now), query.from, query.to);
  const groupBy: UsageDimension[] =
    query.groupBy && query.groupBy.length > 0 ? [...new Set(query.groupBy)] : ['day'];
  if (query.appId !== undefined) await requireApp(deps.db, scope, query.appId);
  const has = (dimension: UsageDimension) => groupBy.includes(dimension);
  if (has('hour') && daysIn(from, to) > MAX_HOURLY_USAGE_DAYS) {
    throw new ProblemError(
      'validation_failed',
      `Grouping by hour covers at most ${MAX_HOURLY_USAGE_DAYS} days; this range has ${daysIn(from, to)}.`,
      {
        errors: [
          { parameter: 'groupBy', detail: `hour needs a range of at most ${MAX_HOURLY_USAGE_DAYS} days` },
        ],
      },
    );
  }

  let counted = deps.db
    .selectFrom('usage_hourly')
    .where('partner_id', '=', scope.partnerId)
    .where('hour', '>=', hourOf(from))
    .where('hour', '<', hourOf(addDays(to, 1)));
  if (query.appId !== undefined) counted = counted.where('app_id', '=', query.appId);
  if (query.environment !== undefined) counted = counted.where('environment', '=', query.environment);
  if (query.credentialId !== undefined) counted = counted.where('credential_id', '=', query.credentialId);
  if (query.operationId !== undefined) counted = counted.where('operation_id', '=', query.operationId);

  const sums = counted.select((eb) => [
    eb.fn.sum<number>('count').as('requests'),
    eb.fn.sum<number>('latency_ms_total').as('latency'),
    ...LATENCY_BUCKET_COLUMNS.map((column) => eb.fn.sum<number>(column).as(column)),
  ]);
  const dayOfHour = sql<string>`substr(hour, 1, 10)`;
  const [totalsRow, grouped, quotas] = await Promise.all([
    sums
      .select(sql<number>`sum(case when status >= 400 then count else 0 end)`.as('errors'))
      .executeTakeFirst(),
    sums
      .$if(has('day'), (qb) => qb.select(dayOfHour.as('day')).groupBy(dayOfHour))
      .$if(has('hour'), (qb) => qb.select('hour').groupBy('hour'))
      .$if(has('app'), (qb) => qb.select('app_id').groupBy('app_id'))
      .$if(has('key'), (qb) => qb.select('credential_id').groupBy('credential_id'))
      .$if(has('operation'), (qb) => qb.select(['api', 'operation_id']).groupBy(['api', 'operation_id']))
      .$if(has('status'), (qb) => qb.select('status').groupBy('status'))
      .execute(),
    quotaConsumption(deps, scope, now, query),
  ]);

  const rows: UsageRow[] = grouped
    .filter((r) => Number(r.requests ?? 0) > 0)
    .map((r) => {
      const row = r as typeof r & Record<string, unknown>;
      return {
        ...(has('day') ? { date: String(row.day) } : {}),
        ...(has('hour') ? { hour: String(row.hour) } : {}),
        ...(has('app') ? { appId: String(row.app_id) } : {}),
        ...(has('key') ? { credentialId: row.credential_id ? String(row.credential_id) : null } : {}),
        ...(has('operation') ? { api: String(row.api), operationId: String(row.operation_id) } : {}),
        ...(has('status') ? { status: Number(row.status) } : {}),
        requests: Number(r.requests),
        ...latencyOf(r),
      };
    });
  rows.sort((a, b) => compareRows(a, b, groupBy));

  return {
    from,
    to,
    groupBy,
    totals: {
      requests: Number(totalsRow?.requests ?? 0),
      errors: Number(totalsRow?.errors ?? 0),
      ...latencyOf(totalsRow),
    },
    rows,
    quotas,
  };
}

/**
 * Estimates the q-quantile (0 ≤ q ≤ 1) of latencies counted in the buckets of LATENCY_BUCKET_BOUNDS_MS (the last
 * one unbounded), as Prometheus' histogram_quantile does: find the bucket holding the rank q × total and interpolate
 * linearly between its bounds (the first bucket starts at 0). A rank in the unbounded bucket gives the highest
 * finite bound, since nothing is known above it. Whole milliseconds; 0 for an empty histogram.
 */
export function estimateLatencyQuantile(q: number, buckets: readonly number[]): number {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  const highest = LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
  if (total <= 0) return 0;
  const rank = Math.min(1, Math.max(0, q)) * total;
  let below = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      if (i >= LATENCY_BUCKET_BOUNDS_MS.length) return highest;
      const lower = i === 0 ? 0 : LATENCY_BUCKET_BOUNDS_MS[i - 1]!;
      const upper = LATENCY_BUCKET_BOUNDS_MS[i]!;
      return Math.round(lower + ((upper - lower) * (rank - below)) / n);
    }
    below += n;
  }
  return highest;
}

/** The latency fields of a row or of the totals, from its summed latency and bucket columns. */
function latencyOf(
  sums: Record<string, unknown> | undefined,
): Pick<UsageRow, 'averageLatencyMs' | 'p50LatencyMs' | 'p95LatencyMs'> {
  // Sums come back as numbers on SQLite and as text (bigint) on PostgreSQL (STACK.md pitfall 9).
  const buckets = LATENCY_BUCKET_COLUMNS.map((column) => Number(sums?.[column] ?? 0));
  return {
    averageLatencyMs: average(sums?.latency, sums?.requests),
    p50LatencyMs: estimateLatencyQuantile(0.5, buckets),
    p95LatencyMs: estimateLatencyQuantile(0.95, buckets),
  };
}

/**
 * The range a report covers, from the optional parameters and today: `to` defaults to today, `from` to 29 days
 * before `to`. `from` after `to`, or more than 92 days, is a 400.
 */
export function resolveUsageRange(today: string, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? today;
  const start = from ?? addDays(end, -(DEFAULT_USAGE_DAYS - 1));
  if (start > end) {
    throw new ProblemError('validation_failed', `The range starts (${start}) after it ends (${end}).`, {
      errors: [{ parameter: 'from', detail: `must not be after ${end}` }],
    });
  }
  const days = daysIn(start, end);
  if (days > MAX_USAGE_DAYS) {
    throw new ProblemError('validation_failed', `The range spans ${days} days; at most ${MAX_USAGE_DAYS}.`, {
      errors: [{ parameter: 'from', detail: `at most ${MAX_USAGE_DAYS} days before 'to' (inclusive)` }],
    });
  }
  return { from: start, to: end };
}

/**
 * Each quota of the partner's plan for each app in scope, as counted in the current UTC period. Requests the
 * gateway refused with 429 (over a rate limit or over the quota itself) spent nothing and do not count (DESIGN.md:
 * the quota is the plan's allowance; the spec's example: 715 answered and 12 refused make 715 used).
 */
async function quotaConsumption(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  now: Date,
  query: UsageReportQuery,
): Promise<QuotaConsumption[]> {
  const plan = await deps.db
    .selectFrom('partners')
    .innerJoin('plans', 'plans.id', 'partners.plan_id')
    .select('plans.quotas')
    .where('partners.id', '=', scope.partnerId)
    .executeTakeFirst();
  const planQuotas = fromJsonText<PlanQuota[]>(plan?.quotas, []);
  if (planQuotas.length === 0) return [];

  let appIds: string[];
  if (query.appId !== undefined) {
    appIds = [query.appId];
  } else {
    // Deleted apps keep their history in the counts but hold no quota any more.
    let apps = deps.db
      .selectFrom('apps')
      .select('id')
      .where('partner_id', '=', scope.partnerId)
      .where('deleted_at', 'is', null);
    if (query.environment !== undefined) apps = apps.where('environment', '=', query.environment);
    appIds = (await apps.orderBy('id').execute()).map((a) => a.id);
  }
  if (appIds.length === 0) return [];

  const today = utcDay(now);
  const periods = {
    day: { start: today, end: addDays(today, 1) },
    month: { start: `${today.slice(0, 7)}-01`, end: firstOfNextMonth(today) },
  } as const;
  const earliest = planQuotas.some((q) => q.period === 'month') ? periods.month.start : periods.day.start;
  const latest = planQuotas.some((q) => q.period === 'month') ? periods.month.end : periods.day.end;
  const dayOfHour = sql<string>`substr(hour, 1, 10)`;
  const perDay = await deps.db
    .selectFrom('usage_hourly')
    .select((eb) => ['app_id', dayOfHour.as('day'), eb.fn.sum<number>('count').as('requests')])
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', 'in', appIds)
    .where('hour', '>=', hourOf(earliest))
    .where('hour', '<', hourOf(latest))
    .where('status', '<>', 429)
    .groupBy(['app_id', dayOfHour])
    .execute();

  const result: QuotaConsumption[] = [];
  for (const appId of appIds) {
    for (const quota of planQuotas) {
      const period = periods[quota.period];
      const used = perDay
        .filter((r) => r.app_id === appId && r.day >= period.start && r.day < period.end)
        .reduce((sum, r) => sum + Number(r.requests), 0);
      result.push({
        appId,
        name: quota.name,
        period: quota.period,
        limit: quota.limit,
        used,
        remaining: Math.max(0, quota.limit - used),
        resetsAt: `${period.end}T00:00:00.000Z`,
      });
    }
  }
  return result;
}

function average(total: unknown, count: unknown): number {
  const n = Number(count ?? 0);
  return n > 0 ? Math.round(Number(total ?? 0) / n) : 0;
}

/** Ascending by the grouped dimensions in the caller's order; code-point order, the same on every engine. */
function compareRows(a: UsageRow, b: UsageRow, groupBy: readonly UsageDimension[]): number {
  for (const dimension of groupBy) {
    const order =
      dimension === 'day'
        ? compareText(a.date, b.date)
        : dimension === 'hour'
          ? compareText(a.hour, b.hour)
          : dimension === 'app'
            ? compareText(a.appId, b.appId)
            : dimension === 'key'
              ? compareText(a.credentialId ?? '', b.credentialId ?? '')
              : dimension === 'operation'
                ? compareText(a.api, b.api) || compareText(a.operationId, b.operationId)
                : (a.status ?? 0) - (b.status ?? 0);
    if (order !== 0) return order;
  }
  return 0;
}

function compareText(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The number of UTC days in [start, end], both ends inclusive. */
function daysIn(start: string, end: string): number {
  return (Date.parse(`${end}T00:00:00.000Z`) - Date.parse(`${start}T00:00:00.000Z`)) / DAY_MS + 1;
}

/** The stored `hour` of a day's first hour: the bound that selects whole days of hourly rows. */
function hourOf(day: string): string {
  return `${day}T00:00:00.000Z`;
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}

function firstOfNextMonth(day: string): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return utcDay(date);
}
