// verifyApiKey, as the gateway calls it in-process: the format check first (no I/O: a malformed or mistyped key
// never reaches the store), then the cache, then ONE indexed store lookup; the outcome is decided by the domain's
// pure rule at the time of the call, so a cached key still expires on time.
import type { Clock } from '../../../internal/src/clock';
import { candidateDigests } from '../domain/key-digest';
import { parseApiKey } from '../domain/key-format';
import { decideKeyOutcome, type KeyRecord } from '../domain/key-verdict';
import { keyFailure, type KeyVerification } from '../domain/outcomes';
import type { SecretRing } from '../domain/secret-ring';
import type { VerificationCache } from './verification-cache';

/** Finds the key stored under one of `digests` (current pepper first) — keys/src/store/api-key-lookup.ts. */
export type KeyLookup = (digests: readonly string[]) => Promise<KeyRecord | undefined>;

export interface ApiKeyVerifierDeps {
  lookup: KeyLookup;
  peppers: SecretRing;
  /** null caches "no such key" (for the cache's short negative TTL). */
  cache: VerificationCache<KeyRecord | null>;
  clock: Clock;
}

export type ApiKeyVerifier = (presented: unknown) => Promise<KeyVerification>;

export function createApiKeyVerifier(deps: ApiKeyVerifierDeps): ApiKeyVerifier {
  // Concurrent first requests with the same key share one lookup instead of stampeding the store.
  const inFlight = new Map<string, Promise<KeyRecord | null>>();

  const load = (digests: readonly string[], cacheKey: string): Promise<KeyRecord | null> => {
    let pending = inFlight.get(cacheKey);
    if (!pending) {
      pending = deps
        .lookup(digests)
        .then((record) => {
          const found = record ?? null;
          deps.cache.set(cacheKey, found, record?.keyId);
          return found;
        })
        .finally(() => inFlight.delete(cacheKey));
      inFlight.set(cacheKey, pending);
    }
    return pending;
  };

  return async function verifyApiKey(presented) {
    const parsed = parseApiKey(presented);
    if (!parsed.ok) return keyFailure('malformed');
    const digests = candidateDigests(deps.peppers, presented as string).map((d) => d.digest);
    const cacheKey = digests[0]!;
    const cached = deps.cache.get(cacheKey);
    const record = cached !== undefined ? cached : await load(digests, cacheKey);
    // The environment is part of the checksummed key; a stored row that disagrees is not this key.
    if (record !== null && record.environment !== parsed.environment) return keyFailure('not_found');
    return decideKeyOutcome(record ?? undefined, deps.clock.now());
  };
}
