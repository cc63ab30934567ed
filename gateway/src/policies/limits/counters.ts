// The counters behind every limit, on rate-limiter-flexible: RateLimiterRedis when a client is given (atomic
// INCRBY in one Lua script, so processes sharing Redis count exactly), RateLimiterMemory otherwise. Each call has
// the store deadline, and a store failure is applied as the limit's documented policy (limits-options.ts).
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterKind, RateLimitStoreErrorPolicy, ResolvedLimitsOptions } from './limits-options';
import { callStore, classifyRejection, type StoreCall, type StoreErrorReason } from './store-call';

/** One limit as the counters see it; counters with the same kind and name share their stored counts. */
export interface CounterSpec {
  kind: LimiterKind;
  name: string;
  limit: number;
  /** For fixed windows: rejected keys are remembered in memory until the window ends (no Redis trip). */
  windowSeconds?: number;
}

export type Count =
  | { outcome: 'admitted' | 'limited'; remaining: number; countedBy: 'store' | 'insurance' }
  /** The store failed and the policy is `allow`: admitted, state unknown. */
  | { outcome: 'uncounted' }
  /** The store failed and the policy is `deny`. */
  | { outcome: 'unavailable' };

interface CounterLimiters {
  primary: RateLimiterAbstract;
  /**
   * Counts in this process when Redis fails. Our code applies it, not rate-limiter-flexible's `insuranceLimiter`
   * option, because it must also take over when the deadline expires, and the library would then count the same
   * request a second time if the late command failed; and because each failure must be reported, not hidden.
   */
  insurance: RateLimiterAbstract | undefined;
}

export interface Counters {
  /**
   * `deadlineMs` (performance.now() time) bounds this call together with the request's other store calls: a
   * request waits on Redis at most storeTimeoutMs in all, however many limits it counts against.
   */
  consume(
    spec: CounterSpec,
    key: string,
    retentionSeconds: number,
    onError: RateLimitStoreErrorPolicy,
    deadlineMs?: number,
  ): Promise<Count>;
  /** Gives back the unit a refused request took (quotas count only admitted requests). Best effort. */
  refund(spec: CounterSpec, key: string, retentionSeconds: number): Promise<void>;
  /** The count so far in this window (0 when nothing was counted); rejects when the store fails. */
  read(spec: CounterSpec, key: string): Promise<number>;
}

/**
 * RateLimiterMemory expires a record with a Node timer, and a timer longer than 2^31-1 ms (24.8 days) fires after
 * 1 ms instead, which would wipe a monthly count at once. Such counters are kept without expiry: the window id in
 * the key already restarts the count, and one stale record per app and month is all a process accumulates.
 */
const MAX_MEMORY_RETENTION_SECONDS = 24 * 86_400;

function memoryRetention(seconds: number): number {
  return seconds > MAX_MEMORY_RETENTION_SECONDS ? 0 : seconds;
}

export function createCounters(options: ResolvedLimitsOptions): Counters {
  const cache = new Map<string, CounterLimiters>();
  // The in-memory store answers in the same tick: no deadline to race.
  const timeoutMs = options.storeClient ? options.storeTimeoutMs : 0;
  const retentionFor = options.storeClient ? (seconds: number) => seconds : memoryRetention;

  function limitersFor(spec: CounterSpec): CounterLimiters {
    const cacheKey = `${spec.kind}:${spec.limit}:${spec.windowSeconds ?? 0}`;
    let limiters = cache.get(cacheKey);
    if (!limiters) {
      limiters = buildLimiters(options, spec);
      cache.set(cacheKey, limiters);
    }
    return limiters;
  }

  const health = storeHealth();
  /** One store round trip within what is left of the request's budget, skipped while the store is known down. */
  const withinBudget = <T>(operation: () => Promise<T>, deadlineMs: number | undefined) => {
    if (timeoutMs === 0) return callStore(operation, 0);
    const now = performance.now();
    const left = deadlineMs === undefined ? timeoutMs : Math.min(timeoutMs, deadlineMs - now);
    const skip = health.skip(now) ?? (left < 1 ? 'timeout' : undefined);
    if (skip) return Promise.resolve(storeError<T>(skip));
    return callStore(operation, left).then((call) => {
      health.record(call.kind === 'store_error' ? call.reason : undefined, performance.now());
      return call;
    });
  };
  /**
   * A refund runs after the request was refused, off its budget: its own deadline, and its outcome tells nothing
   * the consumes did not (a slow refund must not mark a working store as hung and turn every quota into a 503).
   */
  const refundCall = <T>(operation: () => Promise<T>) => {
    if (timeoutMs === 0) return callStore(operation, 0);
    const skip = health.skip(performance.now(), { probe: false });
    return skip ? Promise.resolve(storeError<T>(skip)) : callStore(operation, timeoutMs);
  };

  return {
    async consume(spec, key, retentionSeconds, onError, deadlineMs) {
      const limiters = limitersFor(spec);
      let call: StoreCall;
      if (!options.storeClient) {
        // Memory: no deadline to race — the count directly, without the store-call wrapping (the hot path).
        try {
          const res = await limiters.primary.consume(key, 1, {
            customDuration: retentionFor(retentionSeconds),
          });
          return { outcome: 'admitted', remaining: res.remainingPoints, countedBy: 'store' };
        } catch (error) {
          call = classifyRejection(error);
        }
      } else {
        call = await withinBudget(
          () => limiters.primary.consume(key, 1, { customDuration: retentionFor(retentionSeconds) }),
          deadlineMs,
        );
      }
      if (call.kind !== 'store_error') return toCount(call, 'store');
      const fallback = onError === 'insurance' && !limiters.insurance ? 'deny' : onError;
      options.onStoreError({
        limiter: spec.kind,
        policy: spec.name,
        reason: call.reason,
        error: call.error,
        operation: 'consume',
        fallback,
      });
      if (fallback === 'allow') return { outcome: 'uncounted' };
      if (fallback === 'deny' || !limiters.insurance) return { outcome: 'unavailable' };
      const insurance = limiters.insurance;
      const settings = { customDuration: memoryRetention(retentionSeconds) };
      const insured = await callStore(() => insurance.consume(key, 1, settings), 0);
      return insured.kind === 'store_error' ? { outcome: 'unavailable' } : toCount(insured, 'insurance');
    },

    async refund(spec, key, retentionSeconds) {
      const { primary } = limitersFor(spec);
      const call = await refundCall(() =>
        primary.reward(key, 1, { customDuration: retentionFor(retentionSeconds) }),
      );
      if (call.kind === 'store_error') {
        options.onStoreError({
          limiter: spec.kind,
          policy: spec.name,
          reason: call.reason,
          error: call.error,
          operation: 'refund',
        });
      }
    },

    async read(spec, key) {
      const { primary } = limitersFor(spec);
      const call = await withinBudget(() => primary.get(key), undefined);
      if (call.kind === 'store_error') {
        const { reason, error } = call;
        options.onStoreError({ limiter: spec.kind, policy: spec.name, reason, error, operation: 'read' });
        throw call.error;
      }
      return call.kind === 'admitted' ? (call.res?.consumedPoints ?? 0) : call.res.consumedPoints;
    },
  };
}

function toCount(call: Exclude<StoreCall, { kind: 'store_error' }>, countedBy: 'store' | 'insurance'): Count {
  return { outcome: call.kind, remaining: call.res.remainingPoints, countedBy };
}

function buildLimiters(options: ResolvedLimitsOptions, spec: CounterSpec): CounterLimiters {
  // `duration` is required by the library but never used: every call passes its window's retention as
  // `customDuration`, and the window id in the key decides when counting restarts (limit-windows.ts).
  const base = { points: spec.limit, duration: 60, keyPrefix: options.keyPrefix };
  if (!options.storeClient) return { primary: new RateLimiterMemory(base), insurance: undefined };
  // Remember a key that went over its window's limit, so an abusive caller costs no Redis trip until the window
  // ends. Not for quotas: their refused requests are refunded, which needs the round trip.
  const block =
    spec.kind !== 'quota' && spec.windowSeconds
      ? { inMemoryBlockOnConsumed: spec.limit + 1, inMemoryBlockDuration: spec.windowSeconds }
      : {};
  const primary = new RateLimiterRedis({
    ...base,
    ...block,
    storeClient: options.storeClient,
    // With ioredis's offline queue disabled this refuses at once while disconnected (STACK.md pitfall 5).
    rejectIfRedisNotReady: true,
  });
  // Quotas have no insurance: per-process counting cannot keep an allowance exact (DESIGN.md).
  const insurance =
    spec.kind === 'quota'
      ? undefined
      : new RateLimiterMemory({ ...base, points: Math.max(1, Math.ceil(spec.limit / options.processCount)) });
  return { primary, insurance };
}

/** How many store timeouts in a row mark the store hung, and for how long calls then skip it. */
const STORE_DOWN_AFTER_FAILURES = 3;
const STORE_DOWN_FOR_MS = 1_000;

/**
 * Remembers that the store hangs, so that while it does a request does not spend its budget (and leave a command
 * queued) on every limit: after 3 timeouts in a row, calls fail at once for 1 s, then one call probes; Redis
 * answering again is noticed within that second, without a restart. A refused connection needs no such memory: the client
 * refuses at once (no offline queue), and takes up again the moment it reconnects.
 */
function storeHealth() {
  let failures = 0;
  let downUntilMs = 0;
  let probing = false;
  return {
    /** `probe: false` for calls whose outcome is not recorded: they never take the probe's place. */
    skip(nowMs: number, options: { probe: boolean } = { probe: true }): StoreErrorReason | undefined {
      if (failures < STORE_DOWN_AFTER_FAILURES) return undefined;
      // Down: skip until the pause ends, then let one call probe while the others still skip, so that a store
      // that still hangs collects one more queued command per second, not one per request.
      if (nowMs < downUntilMs || probing || !options.probe) return 'not_ready';
      probing = true;
      return undefined;
    },
    record(reason: StoreErrorReason | undefined, nowMs: number): void {
      probing = false;
      if (reason === undefined) failures = 0;
      if (reason !== 'timeout') return;
      failures += 1;
      if (failures >= STORE_DOWN_AFTER_FAILURES) downUntilMs = nowMs + STORE_DOWN_FOR_MS;
    },
  };
}

function storeError<T>(reason: StoreErrorReason): StoreCall<T> {
  const message =
    reason === 'timeout'
      ? "the request's limiter store budget is spent"
      : 'the limiter store is failing; calls skip it for a moment';
  return { kind: 'store_error', reason, error: new Error(message) };
}
