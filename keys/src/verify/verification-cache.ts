// The in-process cache in front of credential lookups, so a warm request never waits on the database: entries live
// for a bounded time (the upper bound on staleness if an invalidation were ever lost), the oldest are evicted past a
// size limit, and invalidation events drop entries by credential id or digest at once.
import type { Clock } from '../../../internal/src/clock';
import type { Invalidation, InvalidationBus } from '../events/invalidation';

export interface CacheEntry<V> {
  value: V;
  /** The credential the entry describes, so an invalidation by id finds it; undefined for negative entries. */
  credentialId: string | undefined;
  expiresAtMs: number;
}

export interface VerificationCacheOptions {
  clock: Clock;
  /** How long a found credential is trusted without asking the store again. */
  ttlMs: number;
  /** How long "no such credential" is remembered (short: a key created elsewhere must soon be found). */
  negativeTtlMs: number;
  maxEntries: number;
}

export class VerificationCache<V> {
  // A Map iterates in insertion order: re-inserting on hit keeps the least recently used entries first.
  private readonly entries = new Map<string, CacheEntry<V>>();
  private readonly byCredential = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: VerificationCacheOptions) {}

  /** Listens to `bus` until `close()`. */
  attach(bus: InvalidationBus): this {
    this.unsubscribe?.();
    this.unsubscribe = bus.subscribe((event) => this.invalidate(event));
    return this;
  }

  get(digest: string): V | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.options.clock.now().getTime()) {
      this.delete(digest);
      return undefined;
    }
    this.entries.delete(digest);
    this.entries.set(digest, entry);
    return entry.value;
  }

  set(digest: string, value: V, credentialId: string | undefined): void {
    const ttl = credentialId === undefined ? this.options.negativeTtlMs : this.options.ttlMs;
    this.delete(digest);
    this.entries.set(digest, { value, credentialId, expiresAtMs: this.options.clock.now().getTime() + ttl });
    if (credentialId !== undefined) this.byCredential.set(credentialId, digest);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  invalidate(event: Invalidation): void {
    if (event.type === 'all') {
      this.entries.clear();
      this.byCredential.clear();
      return;
    }
    const digest = this.byCredential.get(event.credentialId);
    if (digest !== undefined) this.delete(digest);
    if (event.digest !== undefined) this.delete(event.digest);
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private delete(digest: string): void {
    const entry = this.entries.get(digest);
    if (!entry) return;
    this.entries.delete(digest);
    if (entry.credentialId !== undefined && this.byCredential.get(entry.credentialId) === digest) {
      this.byCredential.delete(entry.credentialId);
    }
  }
}
