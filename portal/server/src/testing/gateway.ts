// What a gateway process runs, against the portal's store in a test: the format check, a cache (one minute, as in
// production) that the portal's invalidations reach, and the one-query store lookup, counted.
import type { KeyRecord } from '../../../../keys/src/domain/key-verdict';
import { findApiKeyForVerification } from '../../../../keys/src/store/api-key-lookup';
import { VerificationCache } from '../../../../keys/src/verify/verification-cache';
import { createApiKeyVerifier, type ApiKeyVerifier } from '../../../../keys/src/verify/verify-api-key';
import type { TestPortal } from './portal-harness';

export interface GatewayVerifier {
  /** The outcome of `verify(key)` is `valid`, `revoked`, `expired`, `not_found` … */
  verify: ApiKeyVerifier;
  /** How many times the verifier went to the store (a cached answer does not). */
  lookups(): number;
  /** Detaches the cache from the portal's invalidations. */
  close(): void;
}

export function gatewayVerifier(portal: TestPortal): GatewayVerifier {
  const cache = new VerificationCache<KeyRecord | null>({
    clock: portal.clock,
    ttlMs: 60_000,
    negativeTtlMs: 2_000,
    maxEntries: 1_000,
  }).attach(portal.deps.invalidations);
  let lookups = 0;
  const verify = createApiKeyVerifier({
    lookup: (digests) => {
      lookups += 1;
      return findApiKeyForVerification(portal.deps, digests);
    },
    peppers: portal.deps.peppers,
    cache,
    clock: portal.clock,
  });
  return { verify, lookups: () => lookups, close: () => cache.close() };
}
