// Remembers each (keyid, nonce) of an accepted signature for as long as its `created` could still be accepted, so
// that a captured request cannot be sent again (DESIGN.md; Kong's hmac-auth has no nonce store). Two
// implementations: this one, per process, and redis-nonce-store.ts, shared by every gateway process.
import type { Clock } from '../../../../internal/src/clock';

export interface NonceStore {
  /**
   * Records (keyId, nonce) for `ttlMs`. Resolves true when the pair was new, false when it is still remembered (a
   * replay). Rejects when the store cannot answer; the verifier then refuses the request (fail closed: accepting
   * without the check would let a replay through).
   */
  remember(keyId: string, nonce: string, ttlMs: number): Promise<boolean>;
}

/** The memory store is full of nonces that have not expired yet; it refuses rather than forget one. */
export class NonceStoreFullError extends Error {
  constructor(maxEntries: number) {
    super(`the nonce store holds ${maxEntries} unexpired nonces`);
    this.name = 'NonceStoreFullError';
  }
}

export interface MemoryNonceStoreOptions {
  clock: Clock;
  /**
   * At most this many nonces at once (default 500 000, roughly 100 MB at worst). When full of unexpired ones it
   * refuses new signatures instead of evicting: forgetting a live nonce would re-open it for replay. A nonce lives
   * at most 2 × the allowed skew, so the default covers ~800 signed requests a second per process; beyond that,
   * or with several processes, use the Redis store.
   */
  maxEntries?: number;
}

export interface MemoryNonceStore extends NonceStore {
  /** Nonces held, expired ones not yet swept included. */
  size(): number;
}

/**
 * A per-process store. Each remembered nonce is filed under the second it expires in; every call first drops the
 * seconds that have passed, so expiry costs O(expired) and nothing runs on a timer.
 */
export function memoryNonceStore(options: MemoryNonceStoreOptions): MemoryNonceStore {
  const maxEntries = options.maxEntries ?? 500_000;
  const expiresAt = new Map<string, number>();
  const bySecond = new Map<number, string[]>();
  let sweptUntil = Math.floor(options.clock.now().getTime() / 1000);

  function sweep(nowMs: number): void {
    const nowSecond = Math.floor(nowMs / 1000);
    if (nowSecond <= sweptUntil) return;
    // Visit the elapsed seconds, or the filed seconds if there are fewer of them (after a long idle period).
    const seconds =
      nowSecond - sweptUntil <= bySecond.size
        ? Array.from({ length: nowSecond - sweptUntil }, (_, i) => sweptUntil + 1 + i)
        : [...bySecond.keys()].filter((second) => second <= nowSecond);
    for (const second of seconds) {
      const keys = bySecond.get(second);
      if (keys === undefined) continue;
      bySecond.delete(second);
      for (const key of keys) {
        // The key may have been remembered again (after expiring) under a later second.
        if ((expiresAt.get(key) ?? Infinity) <= nowMs) expiresAt.delete(key);
      }
    }
    sweptUntil = nowSecond;
  }

  return {
    async remember(keyId, nonce, ttlMs) {
      const now = options.clock.now().getTime();
      sweep(now);
      // Both are RFC 8941 strings (printable ASCII), so a line feed cannot occur in either: an unambiguous join.
      const key = `${keyId}\n${nonce}`;
      const known = expiresAt.get(key);
      if (known !== undefined && known > now) return false;
      if (known === undefined && expiresAt.size >= maxEntries) throw new NonceStoreFullError(maxEntries);
      const expiry = now + Math.max(1, Math.ceil(ttlMs));
      expiresAt.set(key, expiry);
      const second = Math.ceil(expiry / 1000);
      const filed = bySecond.get(second);
      if (filed) filed.push(key);
      else bySecond.set(second, [key]);
      return true;
    },
    size: () => expiresAt.size,
  };
}
