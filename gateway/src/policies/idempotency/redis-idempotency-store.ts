// The idempotency store shared by every gateway process. A claim is one `SET key marker PX ttl NX GET` (Redis ≥ 7.0):
// atomic, so exactly one process proceeds with a key, and in the same round trip the loser learns what holds it.
// Completing and releasing are compare-and-set scripts, so a request whose marker expired cannot overwrite the
// record of the request that claimed the key after it. When Redis does not answer (down, or slower than
// `timeoutMs`) every call rejects and the policy answers 503: proceeding without the check could run an
// operation twice, which is what the caller's key is there to prevent.
import type { Redis } from '../../../../internal/src/redis';
import type { IdempotencyRecord, IdempotencyScope, IdempotencyStore } from './idempotency-store';

export interface RedisIdempotencyStoreOptions {
  /** From internal/src/redis.ts connectRedis: no offline queue, so a dead Redis fails a command at once. */
  redis: Pick<Redis, 'set' | 'eval'>;
  /** E.g. `portico:idempotency`; keys are `<prefix>:<appId>:<key>`, both URI-encoded. */
  keyPrefix: string;
  /** The longest a request waits on Redis before it is refused (default 100 ms, DESIGN.md "Limits"). */
  timeoutMs?: number;
}

/** KEYS[1] holds ARGV[1] (our marker, byte for byte) → replace it with ARGV[2] for ARGV[3] ms. */
const COMPLETE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** KEYS[1] holds ARGV[1] (our marker) → delete it. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions): IdempotencyStore {
  const timeoutMs = options.timeoutMs ?? 100;
  // Encoded so that neither part can contain the separator: `a:b` + `c` and `a` + `b:c` stay distinct keys.
  const keyOf = (scope: IdempotencyScope) =>
    `${options.keyPrefix}:${encodeURIComponent(scope.appId)}:${encodeURIComponent(scope.key)}`;

  return {
    async claim(scope, marker, ttlMs) {
      const previous = await withTimeout(
        options.redis.set(keyOf(scope), serialize(marker), 'PX', wholeMs(ttlMs), 'NX', 'GET'),
        timeoutMs,
      );
      // With NX and GET, nil means the key was free and is now ours; otherwise nothing was written.
      if (previous === null) return { claimed: true };
      return { claimed: false, existing: deserialize(previous) };
    },
    async complete(scope, marker, record, ttlMs) {
      const replaced = await withTimeout(
        options.redis.eval(
          COMPLETE_SCRIPT,
          1,
          keyOf(scope),
          serialize(marker),
          serialize(record),
          wholeMs(ttlMs),
        ),
        timeoutMs,
      );
      return replaced === 1;
    },
    async release(scope, marker) {
      await withTimeout(options.redis.eval(RELEASE_SCRIPT, 1, keyOf(scope), serialize(marker)), timeoutMs);
    },
  };
}

/**
 * JSON with the body as base64. The marker's serialization must be the same at claim and at completion (the
 * scripts compare bytes), so it is built field by field in a fixed order rather than from the caller's object.
 */
function serialize(record: IdempotencyRecord): string {
  if (record.state === 'in_flight') {
    const { fingerprint, token, startedAtMs } = record;
    return JSON.stringify({ state: 'in_flight', fingerprint, token, startedAtMs });
  }
  const { fingerprint, response, completedAtMs } = record;
  return JSON.stringify({
    state: 'completed',
    fingerprint,
    completedAtMs,
    status: response.status,
    headers: response.headers,
    bodyBase64: response.body.toString('base64'),
  });
}

function deserialize(value: string): IdempotencyRecord {
  const parsed = JSON.parse(value) as Record<string, unknown>;
  if (
    parsed.state === 'in_flight' &&
    typeof parsed.fingerprint === 'string' &&
    typeof parsed.token === 'string'
  ) {
    return {
      state: 'in_flight',
      fingerprint: parsed.fingerprint,
      token: parsed.token,
      startedAtMs: Number(parsed.startedAtMs),
    };
  }
  if (
    parsed.state === 'completed' &&
    typeof parsed.fingerprint === 'string' &&
    typeof parsed.status === 'number' &&
    typeof parsed.bodyBase64 === 'string' &&
    typeof parsed.headers === 'object' &&
    parsed.headers !== null
  ) {
    return {
      state: 'completed',
      fingerprint: parsed.fingerprint,
      completedAtMs: Number(parsed.completedAtMs),
      response: {
        status: parsed.status,
        headers: parsed.headers as Record<string, string | string[]>,
        body: Buffer.from(parsed.bodyBase64, 'base64'),
      },
    };
  }
  // Treated like an unreachable store (503): guessing would risk replaying the wrong answer or running twice.
  throw new Error('unreadable idempotency record in Redis');
}

function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
