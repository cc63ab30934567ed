// The options of the limits policy and their documented defaults. Every failure mode is an explicit option, as in
// Kong's rate-limiting schema (`fault_tolerant`), with the consequence spelled out next to it.
import type { Clock } from '../../../../internal/src/clock';
import type { Redis } from '../../../../internal/src/redis';
import type { StoreErrorReason } from './store-call';

/**
 * What a rate limit (or the per-IP limiter) does when Redis fails or is slower than `storeTimeoutMs`:
 * - `insurance` (default): count in this process instead, with the limit divided by `processCount`, so the N
 *   processes together still admit about the limit. Rate limits protect the system; they stay on.
 * - `allow`: admit without counting (fail open).
 * - `deny`: refuse with 503 and Retry-After (fail closed).
 */
export type RateLimitStoreErrorPolicy = 'insurance' | 'allow' | 'deny';

/**
 * What a quota does when Redis fails: `deny` (default) refuses with 503 and Retry-After, because a quota is an
 * allowance that must be exact across processes and per-process counting cannot be; `allow` admits uncounted.
 */
export type QuotaStoreErrorPolicy = 'deny' | 'allow';

export type LimiterKind = 'rate_limit' | 'quota' | 'pre_auth' | 'auth_failures';

/** Reported for every store failure (for metrics and a log line), whatever the policy then did. */
export interface LimiterStoreError {
  limiter: LimiterKind;
  /** The policy's name (`burst`, `day`, `ip` …). */
  policy: string;
  reason: StoreErrorReason;
  error: Error;
  operation: 'consume' | 'refund' | 'read';
  /** What the request got instead (consume only; a failed refund leaves a unit spent, a failed read throws). */
  fallback?: RateLimitStoreErrorPolicy;
}

export interface LimitsOptions {
  clock: Clock;
  /**
   * An ioredis client: counters live in Redis and are shared by every process. It must not queue commands while
   * disconnected (`enableOfflineQueue: false`, `maxRetriesPerRequest: 1`; internal/src/redis.ts connectRedis).
   * Absent: counters live in this process's memory (one process only).
   */
  storeClient?: Redis;
  /** Prefix of every Redis key. Default `portico:limits`; pass `${config.redisPrefix}:limits`. */
  keyPrefix?: string;
  /** How many gateway processes share the limits; sizes the insurance limiter. Default 1. */
  processCount?: number;
  /** The longest a request waits on Redis, per round trip. Default 100 ms (DESIGN.md). */
  storeTimeoutMs?: number;
  rateLimits?: { onStoreError?: RateLimitStoreErrorPolicy };
  quotas?: { onStoreError?: QuotaStoreErrorPolicy };
  /** Retry-After of the 503 a failed store answers (`deny`). Default 2 s: Redis's reconnect backoff (redis.ts). */
  storeErrorRetryAfterSeconds?: number;
  /**
   * Requests per client IP before authentication (DESIGN.md: stops key guessing before any lookup). Default 2000
   * a second: above the largest seeded burst (Enterprise, 1000/s), so it stops floods, not partners. `false`: off.
   */
  preAuth?:
    | {
        name?: string;
        limit?: number;
        windowSeconds?: number;
        onStoreError?: RateLimitStoreErrorPolicy;
        /**
         * Count in Redis, shared by every process (`true`), or in this process only (default `false`): the per-IP
         * request limit guards a process against floods, and a Redis round trip on every request before anything
         * else would cost more than it protects. The limit then applies per process. Failed authentications are
         * always counted in the shared store (`authFailures`), so key guessing is stopped across processes.
         */
        shared?: boolean;
      }
    | false;
  /**
   * Failed authentications per client IP; past the limit the IP is refused before authentication for
   * `blockSeconds`. Default 60 a minute, blocked 300 s. Partners behind one NAT share the count, so one client
   * with a revoked key can block its neighbours for a while: the price of making guessing slow. `false`: off.
   */
  authFailures?:
    | {
        limit?: number;
        windowSeconds?: number;
        blockSeconds?: number;
        onStoreError?: RateLimitStoreErrorPolicy;
      }
    | false;
  onStoreError?: (event: LimiterStoreError) => void;
}

export interface ResolvedLimitsOptions {
  clock: Clock;
  storeClient: Redis | undefined;
  keyPrefix: string;
  processCount: number;
  storeTimeoutMs: number;
  rateLimitsOnStoreError: RateLimitStoreErrorPolicy;
  quotasOnStoreError: QuotaStoreErrorPolicy;
  storeErrorRetryAfterSeconds: number;
  preAuth:
    | {
        name: string;
        limit: number;
        windowSeconds: number;
        onStoreError: RateLimitStoreErrorPolicy;
        shared: boolean;
      }
    | false;
  authFailures:
    | { limit: number; windowSeconds: number; blockSeconds: number; onStoreError: RateLimitStoreErrorPolicy }
    | false;
  onStoreError: (event: LimiterStoreError) => void;
}

/** Applies the defaults and fails fast, with a readable message, on values that cannot work. */
export function resolveLimitsOptions(options: LimitsOptions): Readonly<ResolvedLimitsOptions> {
  const preAuth = options.preAuth === false ? false : (options.preAuth ?? {});
  const authFailures = options.authFailures === false ? false : (options.authFailures ?? {});
  const resolved: ResolvedLimitsOptions = {
    clock: options.clock,
    storeClient: options.storeClient,
    keyPrefix: options.keyPrefix ?? 'portico:limits',
    processCount: positiveInteger('processCount', options.processCount ?? 1),
    storeTimeoutMs: positiveInteger('storeTimeoutMs', options.storeTimeoutMs ?? 100),
    rateLimitsOnStoreError: options.rateLimits?.onStoreError ?? 'insurance',
    quotasOnStoreError: options.quotas?.onStoreError ?? 'deny',
    storeErrorRetryAfterSeconds: positiveInteger(
      'storeErrorRetryAfterSeconds',
      options.storeErrorRetryAfterSeconds ?? 2,
    ),
    preAuth: preAuth && {
      name: preAuth.name ?? 'ip',
      limit: positiveInteger('preAuth.limit', preAuth.limit ?? 2_000),
      windowSeconds: positiveInteger('preAuth.windowSeconds', preAuth.windowSeconds ?? 1),
      onStoreError: preAuth.onStoreError ?? 'insurance',
      shared: preAuth.shared ?? false,
    },
    authFailures: authFailures && {
      limit: positiveInteger('authFailures.limit', authFailures.limit ?? 60),
      windowSeconds: positiveInteger('authFailures.windowSeconds', authFailures.windowSeconds ?? 60),
      blockSeconds: positiveInteger('authFailures.blockSeconds', authFailures.blockSeconds ?? 300),
      onStoreError: authFailures.onStoreError ?? 'insurance',
    },
    onStoreError: options.onStoreError ?? (() => undefined),
  };
  return Object.freeze(resolved);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`limits: ${name} must be a positive integer (got ${String(value)})`);
  }
  return value;
}
