// Counts failed attempts per key (an email address, a client address) in a fixed window, so that password guessing
// is answered with 429 + Retry-After (platform spec, login). In memory for one process; in Redis when several
// portal processes share REDIS_URL, falling back to the process's own count if Redis fails (never to "no limit").
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../../../internal/src/clock';
import type { Redis } from '../../../../internal/src/redis';

export interface AttemptRule {
  /** Failures allowed in a window; the next attempt is refused until the window ends. */
  maxFailures: number;
  windowSeconds: number;
}

export interface AttemptLimiter {
  /** 0 when an attempt may be made now, else the seconds until one may. */
  retryAfterSeconds(key: string): Promise<number>;
  recordFailure(key: string): Promise<void>;
  /** Forgets the failures of a key (after a successful sign-in with that address). */
  reset(key: string): Promise<void>;
}

/** Sign-in: 10 failures per address and 100 per client address in 15 minutes. */
export const LOGIN_RULES = Object.freeze({
  address: Object.freeze({ maxFailures: 10, windowSeconds: 15 * 60 }),
  client: Object.freeze({ maxFailures: 100, windowSeconds: 15 * 60 }),
});

export function memoryAttemptLimiter(rule: AttemptRule, clock: Clock, maxKeys = 100_000): AttemptLimiter {
  const windows = new Map<string, { failures: number; endsAtMs: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.endsAtMs <= clock.now().getTime()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async retryAfterSeconds(key) {
      const entry = live(key);
      if (!entry || entry.failures < rule.maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.endsAtMs - clock.now().getTime()) / 1000));
    },
    async recordFailure(key) {
      const entry = live(key);
      if (entry) {
        entry.failures += 1;
        return;
      }
      // Bounded memory under a flood of distinct keys: drop the oldest window (Map keeps insertion order).
      if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
      windows.set(key, { failures: 1, endsAtMs: clock.now().getTime() + rule.windowSeconds * 1000 });
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/**
 * The same rule shared by every process through Redis: INCR + EXPIRE NX in one transaction, so the window starts at
 * the first failure and concurrent failures all count. Keys are hashed: an email address never appears in Redis.
 */
export function redisAttemptLimiter(options: {
  redis: Redis;
  prefix: string;
  name: string;
  rule: AttemptRule;
  clock: Clock;
  logger: Logger;
}): AttemptLimiter {
  const fallback = memoryAttemptLimiter(options.rule, options.clock);
  const redisKey = (key: string) =>
    `${options.prefix}:attempts:${options.name}:${createHash('sha256').update(key).digest('base64url')}`;
  const degraded = (error: unknown, key: string) => {
    options.logger.warn(
      { err: error, limiter: options.name },
      'attempt limiter: Redis failed, counting locally',
    );
    return key;
  };
  return {
    async retryAfterSeconds(key) {
      try {
        const [count, ttlMs] = await options.redis
          .multi()
          .get(redisKey(key))
          .pttl(redisKey(key))
          .exec()
          .then((results) => (results ?? []).map(([, value]) => value) as [string | null, number]);
        if (count === null || Number(count) < options.rule.maxFailures)
          return fallback.retryAfterSeconds(key);
        return Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : options.rule.windowSeconds * 1000) / 1000));
      } catch (error) {
        return fallback.retryAfterSeconds(degraded(error, key));
      }
    },
    async recordFailure(key) {
      try {
        await options.redis
          .multi()
          .incr(redisKey(key))
          .expire(redisKey(key), options.rule.windowSeconds, 'NX')
          .exec();
      } catch (error) {
        await fallback.recordFailure(degraded(error, key));
      }
    },
    async reset(key) {
      await fallback.reset(key);
      try {
        await options.redis.del(redisKey(key));
      } catch (error) {
        degraded(error, key);
      }
    },
  };
}
