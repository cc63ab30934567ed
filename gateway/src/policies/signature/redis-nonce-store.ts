// The nonce store shared by every gateway process: one `SET key 1 PX ttl NX` per accepted signature, atomic in
// Redis, so a nonce is accepted once whichever process sees it first. When Redis does not answer (down, or slower
// than `timeoutMs`), remember() rejects and the verifier refuses the request: fail closed, because accepting would
// allow replays, and a per-process fallback would accept a replay sent to another process.
import type { Redis } from '../../../../internal/src/redis';
import type { NonceStore } from './nonce-store';

export interface RedisNonceStoreOptions {
  /** From internal/src/redis.ts connectRedis: no offline queue, so a dead Redis fails a command at once. */
  redis: Pick<Redis, 'set'>;
  /** Key prefix, e.g. `portico:signature-nonce`; keys are `<prefix>:<keyid>:<nonce>`, URI-encoded. */
  prefix: string;
  /** The longest a request waits on Redis before it is refused (default 100 ms, DESIGN.md "Limits"). */
  timeoutMs?: number;
}

export function redisNonceStore(options: RedisNonceStoreOptions): NonceStore {
  const timeoutMs = options.timeoutMs ?? 100;
  return {
    async remember(keyId, nonce, ttlMs) {
      // Encoded so that neither part can contain the separator: `a:b` + `c` and `a` + `b:c` stay distinct keys.
      const key = `${options.prefix}:${encodeURIComponent(keyId)}:${encodeURIComponent(nonce)}`;
      const reply = await withTimeout(
        options.redis.set(key, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
        timeoutMs,
      );
      return reply === 'OK';
    },
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
