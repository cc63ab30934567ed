// The Idempotency-Key policy (DESIGN.md "Proxying"; draft-ietf-httpapi-idempotency-key-header; Stripe): the first
// request with a key proceeds and its response is kept per app for 24 h; a retry with the same payload gets that
// response replayed, the same key with another payload 422, and a retry while the first is in flight 409.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../../internal/src/clock';
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { IdempotencyScope, IdempotencyStore, InFlightRecord } from './idempotency-store';
import type { CapturedResponse, StoredResponse } from './stored-response';

export interface IdempotencyOptions {
  store: IdempotencyStore;
  clock: Clock;
  /** How long a completed response is replayed (default 86 400 s, DESIGN.md; Stripe keeps keys 24 h). */
  ttlSeconds?: number;
  /**
   * How long an in-flight marker blocks its key, so a process that dies mid-request does not block it for a day.
   * Make it longer than a request can take (e.g. 60 s + the upstream's timeout + its body time): a marker that
   * expires while its request still runs lets a retry run the operation again, and the first response is then
   * not stored.
   */
  inFlightTtlSeconds: number;
  /** Larger bodies are passed through but not stored, and the key is released (default 1 MiB). */
  maxStoredBodyBytes?: number;
  /** Retry-After on the 503 when the store cannot answer (default 1 s). */
  retryAfterSeconds?: number;
}

export interface BeginRequest extends IdempotencyScope {
  /** requestFingerprint() of the request (fingerprint.ts). */
  fingerprint: string;
}

export type BeginOutcome =
  /** The key is now held by this request: forward it, then complete() with what the upstream answered, or release(). */
  | {
      kind: 'proceed';
      /** Stores `captured` (undefined: cut or too large, which releases instead). Never rejects; settles once. */
      complete(captured: CapturedResponse | undefined): Promise<SettleOutcome>;
      /** Frees the key so that the caller may retry it. Never rejects; settles once. */
      release(): Promise<SettleOutcome>;
    }
  /** The same request was answered before: write `response` with writeReplay(). */
  | { kind: 'replay'; response: StoredResponse };

export type SettleOutcome =
  | { kind: 'stored' }
  | { kind: 'released'; reason: 'requested' | 'not_captured' | 'too_large' }
  /** The marker had expired (see inFlightTtlSeconds) and possibly been claimed again: nothing was written. */
  | { kind: 'claim_lost' }
  /**
   * The store failed. After a failed completion the marker stays until it expires (409 until then) rather than
   * being released: the upstream has acted, so a retry must not run it again while the store is sick.
   */
  | { kind: 'store_error'; error: Error };

export interface Idempotency {
  /** Resolves to proceed or replay; throws a ProblemError: 409 in flight, 422 other payload, 503 store failure. */
  begin(request: BeginRequest): Promise<BeginOutcome>;
  /** For captureResponse(res, maxStoredBodyBytes): stop collecting a body that will not be stored anyway. */
  readonly maxStoredBodyBytes: number;
}

export const IDEMPOTENCY_DEFAULTS = {
  ttlSeconds: 86_400,
  maxStoredBodyBytes: 1024 * 1024,
  retryAfterSeconds: 1,
} as const;

export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const ttlSeconds = options.ttlSeconds ?? IDEMPOTENCY_DEFAULTS.ttlSeconds;
  const maxStoredBodyBytes = options.maxStoredBodyBytes ?? IDEMPOTENCY_DEFAULTS.maxStoredBodyBytes;
  const retryAfterSeconds = options.retryAfterSeconds ?? IDEMPOTENCY_DEFAULTS.retryAfterSeconds;
  const { store, clock, inFlightTtlSeconds } = options;
  if (!(ttlSeconds > 0)) throw new Error('idempotency: ttlSeconds must be > 0');
  if (!(inFlightTtlSeconds > 0 && inFlightTtlSeconds <= ttlSeconds)) {
    throw new Error('idempotency: inFlightTtlSeconds must be > 0 and at most ttlSeconds');
  }

  const storeFailed = (error: unknown) =>
    new ProblemError(
      'service_unavailable',
      `Idempotency keys cannot be checked at the moment. Retry after ${retryAfterSeconds} s with the same key.`,
      {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        internalMessage: `idempotency store failed: ${(error as Error)?.message ?? String(error)}`,
        cause: error,
      },
    );

  function proceed(scope: IdempotencyScope, marker: InFlightRecord): BeginOutcome {
    let settled: Promise<SettleOutcome> | undefined;

    const release = async (reason: 'requested' | 'not_captured' | 'too_large'): Promise<SettleOutcome> => {
      try {
        await store.release(scope, marker);
        return { kind: 'released', reason };
      } catch (error) {
        return { kind: 'store_error', error: asError(error) };
      }
    };

    const complete = async (captured: CapturedResponse | undefined): Promise<SettleOutcome> => {
      if (captured === undefined) return release('not_captured');
      if (captured.body.length > maxStoredBodyBytes) return release('too_large');
      const record = {
        state: 'completed' as const,
        fingerprint: marker.fingerprint,
        response: captured,
        completedAtMs: clock.now().getTime(),
      };
      try {
        const stored = await store.complete(scope, marker, record, ttlSeconds * 1000);
        return stored ? { kind: 'stored' } : { kind: 'claim_lost' };
      } catch (error) {
        return { kind: 'store_error', error: asError(error) };
      }
    };

    return {
      kind: 'proceed',
      complete: (captured) => (settled ??= complete(captured)),
      release: () => (settled ??= release('requested')),
    };
  }

  return {
    maxStoredBodyBytes,
    async begin(request) {
      const scope = { appId: request.appId, key: request.key };
      const marker: InFlightRecord = {
        state: 'in_flight',
        fingerprint: request.fingerprint,
        token: randomBytes(16).toString('base64url'),
        startedAtMs: clock.now().getTime(),
      };
      let claim;
      try {
        claim = await store.claim(scope, marker, inFlightTtlSeconds * 1000);
      } catch (error) {
        throw storeFailed(error);
      }
      if (claim.claimed) return proceed(scope, marker);
      const existing = claim.existing;
      // A different payload is checked first, in flight or not: retrying later would not help (draft: 422).
      if (existing.fingerprint !== request.fingerprint) {
        throw new ProblemError(
          'unprocessable',
          'This Idempotency-Key was already used for a different request (method, path, query or body). ' +
            'Use a new key for a new request.',
          { internalMessage: `idempotency key reused with another payload by ${request.appId}` },
        );
      }
      if (existing.state === 'in_flight') {
        throw new ProblemError(
          'conflict',
          'A request with this Idempotency-Key is still being processed. Retry once it has completed.',
          {
            // Retry-After marks this 409 as worth retrying with the same key (the SDKs do); a business
            // conflict replayed from the backend never carries it.
            headers: { 'Retry-After': String(retryAfterSeconds) },
            internalMessage: `idempotency key in flight for ${request.appId}`,
          },
        );
      }
      return { kind: 'replay', response: existing.response };
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
