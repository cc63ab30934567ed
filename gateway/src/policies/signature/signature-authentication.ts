// Signed requests as an authentication scheme of the gateway: the RFC 9421 verifier over the store's signing keys,
// cached in the process like API keys (a warm request never waits on the database) and dropped from the cache by
// the same invalidation bus when the portal revokes a key or changes its app or partner.
import type { Clock } from '../../../../internal/src/clock';
import type { SecretBoxRing } from '../../../../keys/src/domain/secret-box';
import type { InvalidationBus } from '../../../../keys/src/events/invalidation';
import type { KeysStoreDeps } from '../../../../keys/src/store/deps';
import { VerificationCache } from '../../../../keys/src/verify/verification-cache';
import type { SignatureAuthentication, SignedRequestInput } from '../authenticate/authenticate';
import { callerOf } from '../authenticate/caller';
import type { NonceStore } from './nonce-store';
import { createSigningKeySource, type StoredSigningKey } from './signing-key-source';
import { createSignatureVerifier } from './verify-signature';

export interface SignatureAuthenticationOptions {
  db: KeysStoreDeps['db'];
  secretBox: SecretBoxRing;
  bus: InvalidationBus;
  nonces: NonceStore;
  clock: Clock;
  /** How callers reach the gateway: the default port of `@authority` depends on it (RFC 9421 §2.2.3). */
  scheme: 'http' | 'https';
  /** Found keys are trusted this long without asking the store (the bound on staleness if an event were lost). */
  cacheTtlMs?: number;
  onUnusableMaterial?: (keyId: string, reason: string) => void;
}

export interface SignatureAuthenticator {
  verify(request: SignedRequestInput): Promise<SignatureAuthentication>;
  close(): void;
}

export function createSignatureAuthentication(
  options: SignatureAuthenticationOptions,
): SignatureAuthenticator {
  const cache = new VerificationCache<StoredSigningKey | null>({
    clock: options.clock,
    ttlMs: options.cacheTtlMs ?? 60_000,
    negativeTtlMs: 2_000,
    maxEntries: 10_000,
  }).attach(options.bus);
  const load = createSigningKeySource({
    db: options.db,
    secretBox: options.secretBox,
    ...(options.onUnusableMaterial ? { onUnusableMaterial: options.onUnusableMaterial } : {}),
  });
  const inFlight = new Map<string, Promise<StoredSigningKey | undefined>>();
  const resolveKey = (keyId: string): Promise<StoredSigningKey | undefined> => {
    const cached = cache.get(keyId);
    if (cached !== undefined) return Promise.resolve(cached ?? undefined);
    let pending = inFlight.get(keyId);
    if (!pending) {
      pending = load(keyId)
        .then((key) => {
          cache.set(keyId, key ?? null, key ? keyId : undefined);
          return key;
        })
        .finally(() => inFlight.delete(keyId));
      inFlight.set(keyId, pending);
    }
    return pending;
  };
  const verifier = createSignatureVerifier({
    resolveKey,
    nonces: options.nonces,
    clock: options.clock,
    scheme: options.scheme,
  });
  return {
    async verify(request) {
      const verified = await verifier(request);
      if (verified.outcome !== 'valid' || !('key' in verified)) return { outcome: verified.outcome };
      return { outcome: 'valid', caller: callerOf('signature', verified.key) };
    },
    close: () => cache.close(),
  };
}
