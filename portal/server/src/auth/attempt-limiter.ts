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
  /**
   * Counts an attempt BEFORE it is made (so concurrent attempts cannot all pass a check made first) and returns 0
   * when it may go ahead, else the seconds until the window ends (the attempt is refused, 429).
   */
  attempt(key: string): Promise<number>;
  /** Takes back one attempt that turned out legitimate (a successful sign-in from a shared client address). */
  forgive(key: string): Promise<void>;
  /** Forgets every attempt of a key (after a successful sign-in with that address). */
  reset(key: string): Promise<void>;
}

/** Sign-in: 10 failed attempts per address and 100 per client address in 15 minutes. */
export const LOGIN_RULES = Object.freeze({
  address: Object.freeze({ maxFailures: 10, windowSeconds: 15 * 60 }),
  client: Object.freeze({ maxFailures: 100, windowSeconds: 15 * 60 }),
});

export function memoryAttemptLimiter(rule: AttemptRule, clock: Clock, maxKeys = 100_000): AttemptLimiter {
  const windows = new Map<string, { count: number; endsAtMs: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.endsAtMs <= clock.now().getTime()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async attempt(key) {
      let entry = live(key);
      if (!entry) {
        // Bounded memory under a flood of distinct keys: drop the oldest window (Map keeps insertion order).
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value as string);
        entry = { count: 0, endsAtMs: clock.now().getTime() + rule.windowSeconds * 1000 };
        windows.set(key, entry);
      }
      entry.count += 1;
      if (entry.count <= rule.maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.endsAtMs - clock.now().getTime()) / 1000));
    },
    async forgive(key) {
      const entry = live(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

/**
 * The same rule shared by every process through Redis: INCR + EXPIRE NX + PTTL in one MULTI, so the window starts
 * at the first attempt and every concurrent attempt is counted before any is let through. Keys are hashed: an
 * email address never appears in Redis. If Redis fails, the process counts on its own (never "no limit").
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
  const degraded = (error: unknown) =>
    options.logger.warn(
      { err: error, limiter: options.name },
      'attempt limiter: Redis failed, counting locally',
    );
  return {
    async attempt(key) {
      try {
        const results = await options.redis
          .multi()
          .incr(redisKey(key))
          .expire(redisKey(key), options.rule.windowSeconds, 'NX')
          .pttl(redisKey(key))
          .exec();
        const [[, count], , [, ttlMs]] = results as [[null, number], unknown, [null, number]];
        if (count <= options.rule.maxFailures) return 0;
        return Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : options.rule.windowSeconds * 1000) / 1000));
      } catch (error) {
        degraded(error);
        return fallback.attempt(key);
      }
    },
    async forgive(key) {
      try {
        await options.redis.decr(redisKey(key));
      } catch (error) {
        degraded(error);
        await fallback.forgive(key);
      }
    },
    async reset(key) {
      await fallback.reset(key);
      try {
        await options.redis.del(redisKey(key));
      } catch (error) {
        degraded(error);
      }
    },
  };
}
