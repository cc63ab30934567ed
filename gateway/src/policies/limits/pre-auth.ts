// The limits that run before authentication, keyed by client IP (DESIGN.md: a per-client-IP limiter stops key
// guessing before authentication). Nothing here touches an app's counters: the request has not proved which app it
// belongs to, and a failed authentication must never spend the quota of the app it names.
import type { Counters, CounterSpec } from './counters';
import { admitted, limited, unavailable, type LimitDecision } from './limit-decisions';
import { rateLimitWindow, retentionSeconds, secondsUntilEnd } from './limit-windows';
import type { ResolvedLimitsOptions } from './limits-options';
import { formatRateLimitPolicy, rateLimitHeaders } from './rate-limit-headers';

export interface PreAuthLimiter {
  /** Counts one request from `ip`; call it before authentication. */
  consumePreAuth(ip: string): Promise<LimitDecision>;
  /** Counts one failed authentication from `ip`; past the limit the IP is refused for `blockSeconds`. */
  recordAuthFailure(ip: string): Promise<void>;
}

const AUTH_FAILURES_POLICY = 'auth-failures';
/** Blocked addresses kept per process; beyond this the oldest entries go first (a flood of spoofed sources). */
const MAX_BLOCKED = 100_000;

/** `requests` counts every request per IP (process memory unless preAuth.shared); `failures` the shared store. */
export function createPreAuthLimiter(
  options: ResolvedLimitsOptions,
  counters: { requests: Counters; failures: Counters },
): PreAuthLimiter {
  const { preAuth, authFailures, clock } = options;
  // Blocks are remembered per process: another process learns of one at the next failure it counts itself, since
  // the failure count is shared in Redis. A blocked client thus gets at most one more try per process.
  const blockedUntil = new Map<string, number>();

  function remainingBlockMs(ip: string, nowMs: number): number {
    const until = blockedUntil.get(ip);
    if (until === undefined) return 0;
    if (until > nowMs) return until - nowMs;
    blockedUntil.delete(ip);
    return 0;
  }

  function block(ip: string, untilMs: number, nowMs: number): void {
    if (blockedUntil.size >= MAX_BLOCKED) {
      for (const [key, until] of blockedUntil) if (until <= nowMs) blockedUntil.delete(key);
      const oldest = blockedUntil.keys().next();
      if (blockedUntil.size >= MAX_BLOCKED && !oldest.done) blockedUntil.delete(oldest.value);
    }
    blockedUntil.delete(ip);
    blockedUntil.set(ip, untilMs);
  }

  const preAuthSpec: CounterSpec | undefined = preAuth
    ? { kind: 'pre_auth', name: preAuth.name, limit: preAuth.limit, windowSeconds: preAuth.windowSeconds }
    : undefined;
  // The same RateLimit-Policy for every request: formatted once.
  const preAuthPolicy = preAuth
    ? formatRateLimitPolicy([
        { name: preAuth.name, quota: preAuth.limit, windowSeconds: preAuth.windowSeconds },
      ])
    : undefined;

  return {
    async consumePreAuth(ip) {
      const nowMs = clock.now().getTime();
      if (authFailures) {
        const blockedMs = remainingBlockMs(ip, nowMs);
        if (blockedMs > 0) {
          const seconds = Math.ceil(blockedMs / 1000);
          const policy = {
            name: AUTH_FAILURES_POLICY,
            quota: authFailures.limit,
            windowSeconds: authFailures.windowSeconds,
          };
          return limited(
            {
              kind: 'auth_failures',
              name: AUTH_FAILURES_POLICY,
              limit: authFailures.limit,
              windowSeconds: authFailures.windowSeconds,
            },
            seconds,
            rateLimitHeaders([policy], [], {
              name: AUTH_FAILURES_POLICY,
              remaining: 0,
              resetSeconds: seconds,
            }),
            `client ${ip}`,
          );
        }
      }
      if (!preAuth) return admitted({});
      const window = rateLimitWindow(preAuth, nowMs);
      const count = await counters.requests.consume(
        preAuthSpec!,
        `ip:${ip}:${window.id}`,
        retentionSeconds(window, nowMs),
        preAuth.onStoreError,
      );
      const policies = preAuthPolicy;
      const resetSeconds = secondsUntilEnd(window, nowMs);
      switch (count.outcome) {
        case 'admitted':
          return admitted(
            rateLimitHeaders(policies, [{ name: preAuth.name, remaining: count.remaining, resetSeconds }]),
          );
        case 'limited':
          return limited(
            {
              kind: 'pre_auth',
              name: preAuth.name,
              limit: preAuth.limit,
              windowSeconds: preAuth.windowSeconds,
            },
            resetSeconds,
            rateLimitHeaders(policies, [], { name: preAuth.name, remaining: 0, resetSeconds }),
            `client ${ip}`,
          );
        case 'uncounted':
          return admitted(rateLimitHeaders(policies, []));
        case 'unavailable':
          return unavailable(
            options.storeErrorRetryAfterSeconds,
            rateLimitHeaders(policies, []),
            `per-IP limiter store failed (client ${ip})`,
          );
      }
    },

    async recordAuthFailure(ip) {
      if (!authFailures) return;
      const nowMs = clock.now().getTime();
      const window = rateLimitWindow(authFailures, nowMs);
      const spec: CounterSpec = {
        kind: 'auth_failures',
        name: AUTH_FAILURES_POLICY,
        limit: authFailures.limit,
        windowSeconds: authFailures.windowSeconds,
      };
      const count = await counters.failures.consume(
        spec,
        `af:${ip}:${window.id}`,
        retentionSeconds(window, nowMs),
        authFailures.onStoreError,
      );
      if (count.outcome === 'limited') block(ip, nowMs + authFailures.blockSeconds * 1000, nowMs);
    },
  };
}
