// Where idempotency records live: an in-flight marker while the first request is being answered, then the
// completed response. Two implementations: this one, per process, and redis-idempotency-store.ts, shared by every
// gateway process (the one to use with more than one process, or a retry may reach a process that never saw it).
import type { Clock } from '../../../../internal/src/clock';
import type { StoredResponse } from './stored-response';

/** Keys are per app: two apps may use the same key independently, and one cannot probe another's keys. */
export interface IdempotencyScope {
  appId: string;
  key: string;
}

export interface InFlightRecord {
  state: 'in_flight';
  fingerprint: string;
  /** Random per claim: only the request that claimed a key may complete or release it. */
  token: string;
  startedAtMs: number;
}

export interface CompletedRecord {
  state: 'completed';
  fingerprint: string;
  response: StoredResponse;
  completedAtMs: number;
}

export type IdempotencyRecord = InFlightRecord | CompletedRecord;

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord };

export interface IdempotencyStore {
  /**
   * Atomically stores `marker` for `ttlMs` unless a record exists for the scope; returns the existing record
   * otherwise. Rejects when the store cannot answer: the caller then refuses the request (fail closed).
   */
  claim(scope: IdempotencyScope, marker: InFlightRecord, ttlMs: number): Promise<ClaimResult>;
  /**
   * Replaces `marker` with `record` for `ttlMs` if `marker` is still the scope's record. False when it is not (it
   * expired, and perhaps another request claimed the key since): nothing is overwritten.
   */
  complete(
    scope: IdempotencyScope,
    marker: InFlightRecord,
    record: CompletedRecord,
    ttlMs: number,
  ): Promise<boolean>;
  /** Deletes `marker` if it is still the scope's record, so the key may be used again. */
  release(scope: IdempotencyScope, marker: InFlightRecord): Promise<void>;
}

/** The memory store holds `maxEntries` live records; it refuses new keys rather than forget a stored answer. */
export class IdempotencyStoreFullError extends Error {
  constructor(maxEntries: number) {
    super(`the idempotency store holds ${maxEntries} unexpired records`);
    this.name = 'IdempotencyStoreFullError';
  }
}

export interface MemoryIdempotencyStoreOptions {
  clock: Clock;
  /**
   * At most this many records at once (default 10 000). When full of unexpired ones, claims are refused (503)
   * instead of evicting: forgetting a stored answer would let a retry run the operation twice. Records hold bodies
   * of up to maxStoredBodyBytes, so the worst case is maxEntries × that; this store is for one process (tests,
   * development), the Redis store for production.
   */
  maxEntries?: number;
}

export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Records held, expired ones not yet swept included. */
  size(): number;
}

interface Entry {
  record: IdempotencyRecord;
  expiresAtMs: number;
}

/**
 * A per-process store. The map keeps insertion order and a completed record is re-inserted, so the oldest entries
 * come first: every call drops expired ones from the front, and a full store is swept once before refusing.
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions): MemoryIdempotencyStore {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();
  const nowMs = () => options.clock.now().getTime();

  function sweepFront(now: number): void {
    for (const [id, entry] of entries) {
      if (entry.expiresAtMs > now) return;
      entries.delete(id);
    }
  }

  function sweepAll(now: number): void {
    for (const [id, entry] of entries) if (entry.expiresAtMs <= now) entries.delete(id);
  }

  /** The live entry of a scope, if any; an expired one is dropped on the way. */
  function live(id: string, now: number): Entry | undefined {
    const entry = entries.get(id);
    if (entry && entry.expiresAtMs <= now) {
      entries.delete(id);
      return undefined;
    }
    return entry;
  }

  const holds = (entry: Entry | undefined, marker: InFlightRecord) =>
    entry?.record.state === 'in_flight' && entry.record.token === marker.token;

  return {
    async claim(scope, marker, ttlMs) {
      const now = nowMs();
      sweepFront(now);
      const id = scopeId(scope);
      const existing = live(id, now);
      if (existing) return { claimed: false, existing: existing.record };
      if (entries.size >= maxEntries) sweepAll(now);
      if (entries.size >= maxEntries) throw new IdempotencyStoreFullError(maxEntries);
      entries.set(id, { record: marker, expiresAtMs: now + ttlMs });
      return { claimed: true };
    },
    async complete(scope, marker, record, ttlMs) {
      const now = nowMs();
      const id = scopeId(scope);
      if (!holds(live(id, now), marker)) return false;
      entries.delete(id);
      entries.set(id, { record, expiresAtMs: now + ttlMs });
      return true;
    },
    async release(scope, marker) {
      const id = scopeId(scope);
      if (holds(live(id, nowMs()), marker)) entries.delete(id);
    },
    size: () => entries.size,
  };
}

/** App ids are `app_…` and keys printable ASCII (idempotency-key.ts): a line feed cannot occur in either. */
function scopeId(scope: IdempotencyScope): string {
  return `${scope.appId}\n${scope.key}`;
}
