// The issuer key's life: the first key at start-up, rotation (the old key keeps being published until every
// token it signed has expired, then retires), the signer's view of the current key, and re-sealing the private
// halves after PORTICO_SECRET_KEYS rotates. Composes the domain (issuer-key-material.ts) and the store
// (keys/src/store/issuer-keys.ts); callers publish the returned invalidation so verifiers reload at once.
import type { Invalidation } from '../events/invalidation';
import { needsReencryption, resealSecret, type SecretBoxRing } from '../domain/secret-box';
import type { KeysStoreDeps } from '../store/deps';
import {
  findCurrentIssuerKey,
  insertFirstIssuerKey,
  listIssuerKeysToReseal,
  replaceIssuerKeyCiphertext,
  rotateIssuerKeyRows,
} from '../store/issuer-keys';
import type { SigningKey } from './issue-access-token';
import { generateIssuerKey, issuerKeyContext, openIssuerPrivateKey } from './issuer-key-material';
import { retiringPublishSeconds, type OAuthSettings } from './oauth-settings';
import { ISSUER_KEYS_INVALIDATION } from './published-key-set';

type StoreDeps = Pick<KeysStoreDeps, 'db' | 'clock'>;

/** Makes the first issuer key if none is current (idempotent, safe when several processes start at once). */
export async function ensureIssuerKey(
  deps: StoreDeps,
  ring: SecretBoxRing,
  settings: Pick<OAuthSettings, 'algorithm'>,
): Promise<{ kid: string; created: boolean }> {
  const existing = await findCurrentIssuerKey(deps);
  if (existing) return { kid: existing.kid, created: false };
  const material = generateIssuerKey(ring, settings.algorithm);
  if (await insertFirstIssuerKey(deps, material)) return { kid: material.kid, created: true };
  // Another process won the race: its key is the current one.
  const winner = await findCurrentIssuerKey(deps);
  if (!winner) throw new Error('issuer key: none is current after a concurrent insert');
  return { kid: winner.kid, created: false };
}

export interface IssuerKeyRotation {
  previousKid: string | null;
  currentKid: string;
  /** When the previous key leaves the JWKS (now, for an emergency rotation). */
  previousPublishUntil: string | null;
  /** Publish it so every verifier reloads its keys now rather than on its next unknown kid. */
  invalidation: Invalidation;
}

/**
 * Makes a new current key. The previous one stops signing at once and stays published for the longest token
 * lifetime plus the clock leeway (every token it signed expires within that), unless `emergency` is set: then it
 * leaves the JWKS now and its tokens fail at once (a suspected compromise of its private half).
 */
export async function rotateIssuerKey(
  deps: StoreDeps,
  ring: SecretBoxRing,
  settings: Pick<OAuthSettings, 'algorithm' | 'maxTokenLifetimeSeconds' | 'clockLeewaySeconds'>,
  options: { algorithm?: OAuthSettings['algorithm']; emergency?: boolean } = {},
): Promise<IssuerKeyRotation> {
  const material = generateIssuerKey(ring, options.algorithm ?? settings.algorithm);
  const now = deps.clock.now();
  const publishUntil = options.emergency
    ? now.toISOString()
    : new Date(now.getTime() + retiringPublishSeconds(settings) * 1000).toISOString();
  const { previousKid, currentKid } = await rotateIssuerKeyRows(deps, material, publishUntil);
  return {
    previousKid,
    currentKid,
    previousPublishUntil: previousKid === null ? null : publishUntil,
    invalidation: ISSUER_KEYS_INVALIDATION,
  };
}

/**
 * The signer's source of the current key. It asks the store which key is current on every call (one indexed read
 * on /oauth/token, not on the API hot path), so a rotation in another process takes effect with the next token and
 * no token is signed by a key that is already retiring — which is what bounds how long a retiring key must stay
 * published. Opened private keys are kept in memory by kid, so only the first token of a key pays the decryption.
 * With no key at all yet, it makes the first one.
 */
export function signingKeySource(
  deps: StoreDeps,
  ring: SecretBoxRing,
  settings: Pick<OAuthSettings, 'algorithm'>,
): () => Promise<SigningKey> {
  const opened = new Map<string, SigningKey>();
  return async () => {
    let current = await findCurrentIssuerKey(deps);
    if (!current) {
      await ensureIssuerKey(deps, ring, settings);
      current = await findCurrentIssuerKey(deps);
      if (!current) throw new Error('issuer key: none is current');
    }
    let key = opened.get(current.kid);
    if (!key) {
      key = {
        kid: current.kid,
        algorithm: current.algorithm,
        key: openIssuerPrivateKey(ring, current.kid, current.privateKeyCiphertext),
      };
      opened.clear();
      opened.set(current.kid, key);
    }
    return key;
  };
}

/**
 * Re-seals every unretired key's private half under the ring's current encryption key (step 3 of rotating
 * PORTICO_SECRET_KEYS, keys/README.md). Returns how many rows it rewrote; a row another process re-sealed first is
 * skipped. Throws if a private half cannot be opened (its key left the ring too early).
 */
export async function resealIssuerKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  ring: SecretBoxRing,
): Promise<number> {
  let count = 0;
  for (const row of await listIssuerKeysToReseal(deps, ring.current.id)) {
    if (!needsReencryption(ring, row.privateKeyCiphertext)) continue;
    const resealed = resealSecret(ring, row.privateKeyCiphertext, issuerKeyContext(row.kid));
    if (!resealed.ok) throw new Error(`issuer key ${row.kid}: cannot be re-sealed (${resealed.reason})`);
    const replaced = await replaceIssuerKeyCiphertext(deps, row.kid, row.privateKeyCiphertext, {
      privateKeyCiphertext: resealed.stored,
      encryptionKeyId: ring.current.id,
    });
    if (replaced) count += 1;
  }
  return count;
}
