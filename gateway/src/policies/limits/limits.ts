// The limits policy (DESIGN.md "Limits"): per-app rate limits that protect the system and per-app quotas that are
// the plan's allowance, plus the per-IP limits before authentication. The app calls, in this order:
//   consumePreAuth(ip) → authenticate → on failure recordAuthFailure(ip) → consume(appId, plan)
// and sets the returned headers on the response, or answers the returned problem (429 or 503).
import type { PlanQuota, PlanRateLimit } from '../../../../keys/src/store/plans';
import { createCounters, type Count, type CounterSpec } from './counters';
import { admitted, limited, unavailable, type LimitDecision, type ViolatedLimit } from './limit-decisions';
import {
  quotaWindow,
  rateLimitWindow,
  retentionSeconds,
  secondsUntilEnd,
  windowSeconds,
  type LimitWindow,
} from './limit-windows';
import { resolveLimitsOptions, type LimitsOptions } from './limits-options';
import { createPreAuthLimiter, type PreAuthLimiter } from './pre-auth';
import {
  formatRateLimitPolicy,
  rateLimitHeaders,
  type QuotaPolicy,
  type ServiceLimit,
} from './rate-limit-headers';

/** The part of a plan (keys/src/store/plans.ts) the limits need. */
export interface PlanLimits {
  rateLimits: readonly PlanRateLimit[];
  quotas: readonly PlanQuota[];
}

/** An app's use of one quota in the current period, for the portal. */
export interface QuotaUsage {
  name: string;
  period: 'day' | 'month';
  limit: number;
  used: number;
  remaining: number;
  periodStart: string;
  resetsAt: string;
}

export interface Limits extends PreAuthLimiter {
  /** Counts one authenticated request of `appId` against its plan's rate limits, then its quotas. */
  consume(appId: string, plan: PlanLimits): Promise<LimitDecision>;
  /** How much of each quota the app has used this period (rejects when the store fails). */
  readQuotaUsage(appId: string, plan: PlanLimits): Promise<QuotaUsage[]>;
}

interface Applied<L> {
  limit: L;
  spec: CounterSpec;
  window: LimitWindow;
  key: string;
}

const PERIOD_ORDER = { day: 0, month: 1 } as const;

export function createLimits(input: LimitsOptions): Limits {
  const options = resolveLimitsOptions(input);
  const counters = createCounters(options);
  const preAuth = createPreAuthLimiter(options, {
    requests:
      options.preAuth && !options.preAuth.shared && options.storeClient
        ? createCounters({ ...options, storeClient: undefined })
        : counters,
    failures: counters,
  });

  function rateLimitsOf(appId: string, plan: PlanLimits, nowMs: number): Applied<PlanRateLimit>[] {
    return plan.rateLimits.map((limit) => {
      const window = rateLimitWindow(limit, nowMs);
      return {
        limit,
        window,
        spec: {
          kind: 'rate_limit',
          name: limit.name,
          limit: limit.limit,
          windowSeconds: limit.windowSeconds,
        },
        key: `${appId}:r:${limit.name}:${window.id}`,
      };
    });
  }

  /**
   * Quotas are counted one after another in one fixed order (day before month, then by name). With the refunds
   * below this keeps them exact across processes: the last quota's admitted units are never refunded, so once
   * it is used up it stays used up, and by induction no earlier quota refuses a request it should have admitted.
   * Counted in parallel, two requests could each take the other's last unit and both be refused.
   */
  const sortedQuotas = new WeakMap<PlanLimits, readonly PlanQuota[]>();
  function quotasOf(appId: string, plan: PlanLimits, nowMs: number): Applied<PlanQuota>[] {
    let sorted = sortedQuotas.get(plan);
    if (!sorted) {
      sorted = [...plan.quotas].sort(
        (a, b) => PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period] || a.name.localeCompare(b.name),
      );
      sortedQuotas.set(plan, sorted);
    }
    return sorted.map((limit) => {
      const window = quotaWindow(limit, nowMs);
      return {
        limit,
        window,
        spec: { kind: 'quota', name: limit.name, limit: limit.limit },
        key: `${appId}:q:${limit.name}:${window.id}`,
      };
    });
  }

  /**
   * RateLimit-Policy is the same for every request on a plan until one of its quota periods ends (a month's `w`
   * changes with the month), so it is formatted once per plan object and period, not per request.
   */
  const policyHeaders = new WeakMap<PlanLimits, { header: string | undefined; validUntilMs: number }>();
  function policyHeaderOf(
    plan: PlanLimits,
    rates: readonly Applied<PlanRateLimit>[],
    quotas: readonly Applied<PlanQuota>[],
    nowMs: number,
  ): string | undefined {
    const cached = policyHeaders.get(plan);
    if (cached && nowMs < cached.validUntilMs) return cached.header;
    const windowOf = new Map(quotas.map((q) => [q.limit, q.window]));
    const policies: QuotaPolicy[] = [
      ...rates.map((r) => ({
        name: r.limit.name,
        quota: r.limit.limit,
        windowSeconds: r.limit.windowSeconds,
      })),
      ...plan.quotas.map((q) => ({
        name: q.name,
        quota: q.limit,
        windowSeconds: windowSeconds(windowOf.get(q) ?? quotaWindow(q, nowMs)),
      })),
    ];
    const header = formatRateLimitPolicy(policies);
    const validUntilMs = Math.min(Number.MAX_SAFE_INTEGER, ...quotas.map((q) => q.window.endMs));
    policyHeaders.set(plan, { header, validUntilMs });
    return header;
  }

  function consumeRate(rate: Applied<PlanRateLimit>, nowMs: number, deadlineMs: number): Promise<Count> {
    return counters.consume(
      rate.spec,
      rate.key,
      retentionSeconds(rate.window, nowMs),
      options.rateLimitsOnStoreError,
      deadlineMs,
    );
  }

  function refusal(
    appId: string,
    applied: Applied<PlanRateLimit | PlanQuota>,
    violated: ViolatedLimit,
    policies: string | undefined,
    known: readonly ServiceLimit[],
    nowMs: number,
  ): LimitDecision {
    const resetSeconds = secondsUntilEnd(applied.window, nowMs);
    const report = { name: violated.name, remaining: 0, resetSeconds };
    return limited(violated, resetSeconds, rateLimitHeaders(policies, known, report), `app ${appId}`);
  }

  function storeFailure(
    appId: string,
    what: string,
    policies: string | undefined,
    known: readonly ServiceLimit[],
  ): LimitDecision {
    return unavailable(
      options.storeErrorRetryAfterSeconds,
      rateLimitHeaders(policies, known),
      `${what} store failed for app ${appId}`,
    );
  }

  async function refundAll(applied: readonly Applied<PlanQuota>[], nowMs: number): Promise<void> {
    await Promise.all(applied.map((q) => counters.refund(q.spec, q.key, retentionSeconds(q.window, nowMs))));
  }

  return {
    ...preAuth,

    async consume(appId, plan) {
      const nowMs = options.clock.now().getTime();
      // One budget for all of this request's store calls (DESIGN.md: no request waits more than ~100 ms on Redis).
      const deadlineMs = performance.now() + options.storeTimeoutMs;
      const rates = rateLimitsOf(appId, plan, nowMs);
      const quotas = quotasOf(appId, plan, nowMs);
      const policies = policyHeaderOf(plan, rates, quotas, nowMs);
      const known: ServiceLimit[] = [];
      // Rate limits first, all at once: a request they refuse never reaches (or spends) a quota.
      const counts: Count[] =
        rates.length === 1
          ? [await consumeRate(rates[0]!, nowMs, deadlineMs)]
          : await Promise.all(rates.map((r) => consumeRate(r, nowMs, deadlineMs)));
      let violated: Applied<PlanRateLimit> | undefined;
      for (const [i, count] of counts.entries()) {
        const rate = rates[i]!;
        if (count.outcome === 'unavailable') return storeFailure(appId, 'rate limit', policies, known);
        if (count.outcome === 'admitted') known.push(serviceLimit(rate, count.remaining, nowMs));
        if (count.outcome === 'limited' && (!violated || rate.window.endMs > violated.window.endMs)) {
          violated = rate; // Several exhausted: report the one that frees up last, so one retry suffices.
        }
      }
      if (violated) {
        const { name, limit, windowSeconds: seconds } = violated.limit;
        return refusal(
          appId,
          violated,
          { kind: 'rate_limit', name, limit, windowSeconds: seconds },
          policies,
          known,
          nowMs,
        );
      }

      const spent: Applied<PlanQuota>[] = [];
      for (const quota of quotas) {
        const count = await counters.consume(
          quota.spec,
          quota.key,
          retentionSeconds(quota.window, nowMs),
          options.quotasOnStoreError === 'allow' ? 'allow' : 'deny',
          deadlineMs,
        );
        if (count.outcome === 'unavailable') {
          await refundAll(spent, nowMs);
          return storeFailure(appId, 'quota', policies, known);
        }
        if (count.outcome === 'limited') {
          // The refused request's unit comes back, here and in the quotas it passed: a quota counts only the
          // requests it admitted, which is what the portal shows.
          await refundAll([...spent, quota], nowMs);
          const { name, limit, period } = quota.limit;
          const seconds = windowSeconds(quota.window);
          return refusal(
            appId,
            quota,
            { kind: 'quota', name, limit, windowSeconds: seconds, period },
            policies,
            known,
            nowMs,
          );
        }
        if (count.outcome === 'admitted') {
          spent.push(quota);
          known.push(serviceLimit(quota, count.remaining, nowMs));
        }
      }
      return admitted(rateLimitHeaders(policies, known));
    },

    async readQuotaUsage(appId, plan) {
      const nowMs = options.clock.now().getTime();
      return Promise.all(
        quotasOf(appId, plan, nowMs).map(async (quota): Promise<QuotaUsage> => {
          // Between a refused request's count and its refund the counter can pass the limit for a moment.
          const used = Math.min(quota.limit.limit, Math.max(0, await counters.read(quota.spec, quota.key)));
          return {
            name: quota.limit.name,
            period: quota.limit.period,
            limit: quota.limit.limit,
            used,
            remaining: quota.limit.limit - used,
            periodStart: new Date(quota.window.startMs).toISOString(),
            resetsAt: new Date(quota.window.endMs).toISOString(),
          };
        }),
      );
    },
  };
}

function serviceLimit(applied: Applied<{ name: string }>, remaining: number, nowMs: number): ServiceLimit {
  return { name: applied.limit.name, remaining, resetSeconds: secondsUntilEnd(applied.window, nowMs) };
}
