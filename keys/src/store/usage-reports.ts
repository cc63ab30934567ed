// The read side of metering (usage.ts writes): request counts over a range of UTC days, grouped by the caller's
// dimensions, with each app's current consumption of its plan's quotas (platform spec, UsageReport). Everything is
// summed from usage_daily, so it lags the gateway by one meter batch at most.
import { sql } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import { ProblemError } from '../../../internal/src/problem/problem';
import { fromJsonText } from '../../../internal/src/store/query-helpers';
import { requireApp } from './api-keys';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { PlanQuota } from './plans';

/** The platform spec's UsageDimension: `operation` is the pair (api, operationId). */
export type UsageDimension = 'day' | 'app' | 'operation' | 'status';

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
}

export interface UsageRow {
  date?: string;
  appId?: string;
  api?: string;
  operationId?: string;
  status?: number;
  requests: number;
  averageLatencyMs: number;
}

export interface UsageTotals {
  requests: number;
  /** Requests answered with a status of 400 or above. */
  errors: number;
  averageLatencyMs: number;
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

  let counted = deps.db
    .selectFrom('usage_daily')
    .where('partner_id', '=', scope.partnerId)
    .where('day', '>=', from)
    .where('day', '<=', to);
  if (query.appId !== undefined) counted = counted.where('app_id', '=', query.appId);
  if (query.environment !== undefined) counted = counted.where('environment', '=', query.environment);

  const has = (dimension: UsageDimension) => groupBy.includes(dimension);
  const [totalsRow, grouped, quotas] = await Promise.all([
    counted
      .select((eb) => [
        eb.fn.sum<number>('count').as('requests'),
        eb.fn.sum<number>('latency_ms_total').as('latency'),
        sql<number>`sum(case when status >= 400 then count else 0 end)`.as('errors'),
      ])
      .executeTakeFirst(),
    counted
      .select((eb) => [
        eb.fn.sum<number>('count').as('requests'),
        eb.fn.sum<number>('latency_ms_total').as('latency'),
      ])
      .$if(has('day'), (qb) => qb.select('day').groupBy('day'))
      .$if(has('app'), (qb) => qb.select('app_id').groupBy('app_id'))
      .$if(has('operation'), (qb) => qb.select(['api', 'operation_id']).groupBy(['api', 'operation_id']))
      .$if(has('status'), (qb) => qb.select('status').groupBy('status'))
      .execute(),
    quotaConsumption(deps, scope, now, query),
  ]);

  const rows: UsageRow[] = grouped
    .filter((r) => Number(r.requests ?? 0) > 0)
    .map((r) => ({
      ...(has('day') ? { date: r.day as string } : {}),
      ...(has('app') ? { appId: r.app_id as string } : {}),
      ...(has('operation') ? { api: r.api as string, operationId: r.operation_id as string } : {}),
      ...(has('status') ? { status: Number(r.status) } : {}),
      requests: Number(r.requests),
      averageLatencyMs: average(r.latency, r.requests),
    }));
  rows.sort((a, b) => compareRows(a, b, groupBy));

  return {
    from,
    to,
    groupBy,
    totals: {
      requests: Number(totalsRow?.requests ?? 0),
      errors: Number(totalsRow?.errors ?? 0),
      averageLatencyMs: average(totalsRow?.latency, totalsRow?.requests),
    },
    rows,
    quotas,
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
  const days = (Date.parse(`${end}T00:00:00.000Z`) - Date.parse(`${start}T00:00:00.000Z`)) / DAY_MS + 1;
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
  const perDay = await deps.db
    .selectFrom('usage_daily')
    .select((eb) => ['app_id', 'day', eb.fn.sum<number>('count').as('requests')])
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', 'in', appIds)
    .where('day', '>=', earliest)
    .where('day', '<', latest)
    .where('status', '<>', 429)
    .groupBy(['app_id', 'day'])
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
        : dimension === 'app'
          ? compareText(a.appId, b.appId)
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
