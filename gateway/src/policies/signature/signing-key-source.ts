// The verifier's key source backed by the keys store: one query by primary key (findSigningKeyForVerification),
// the keys domain's decision on whether the key may be used, then its material: the HMAC secret opened from the
// secret box, or the registered Ed25519 public key. Anything unusable is `undefined`, which the verifier reports as
// unknown_key: the caller must not learn whether a key id exists, is revoked, or belongs to a suspended partner.
import { createPublicKey } from 'node:crypto';
import type { OpenFailure, SecretBoxRing } from '../../../../keys/src/domain/secret-box';
import {
  decideSigningKeyOutcome,
  type UsableSigningKey,
} from '../../../../keys/src/domain/signing-key-verdict';
import type { KeysStoreDeps } from '../../../../keys/src/store/deps';
import { findSigningKeyForVerification, openHmacSecret } from '../../../../keys/src/store/signing-key-lookup';
import type { SigningKeyMaterial } from './algorithms';
import type { SigningKeyResolver } from './verify-signature';

/** A usable signing key: who it speaks for (partner, app, environment, scopes, plan) and its material. */
export type StoredSigningKey = UsableSigningKey & SigningKeyMaterial;

export interface SigningKeySourceOptions {
  db: KeysStoreDeps['db'];
  /** PORTICO_SECRET_KEYS as a ring: opens HMAC secrets sealed at rest. */
  secretBox: SecretBoxRing;
  /**
   * Told when a stored key cannot be used for a reason that is the operator's, not the caller's: a sealed secret
   * that does not open (its encryption key was removed from the ring, or the row was altered), or a stored public
   * key that does not load. The request is still refused as unknown_key; log this at error level.
   */
  onUnusableMaterial?: (keyId: string, reason: OpenFailure | 'public_key') => void;
}

/**
 * The HMAC key is the UTF-8 bytes of the whole secret exactly as Portico showed it (`pts_test_…` included), so a
 * partner can paste it into any RFC 9421 library. Callers who need a cache wrap this function; revocation must
 * then reach the cache through the invalidation bus (keys/src/events/invalidation.ts).
 */
export function createSigningKeySource(
  options: SigningKeySourceOptions,
): SigningKeyResolver<StoredSigningKey> {
  return async function findSigningKey(keyId) {
    const row = await findSigningKeyForVerification({ db: options.db }, keyId);
    const decision = decideSigningKeyOutcome(row);
    if (row === undefined || decision.outcome !== 'valid') return undefined;
    const key = decision.key;
    if (key.algorithm === 'hmac-sha256') {
      const opened = openHmacSecret(options.secretBox, row);
      if (!opened.ok) {
        options.onUnusableMaterial?.(keyId, opened.reason);
        return undefined;
      }
      return { ...key, secret: Buffer.from(opened.plaintext, 'utf8') };
    }
    try {
      if (row.publicKeyJwk === null) throw new Error('no public key');
      return { ...key, publicKey: createPublicKey({ key: { ...row.publicKeyJwk }, format: 'jwk' }) };
    } catch {
      options.onUnusableMaterial?.(keyId, 'public_key');
      return undefined;
    }
  };
}
