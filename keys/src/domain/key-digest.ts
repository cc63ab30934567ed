// The only stored form of API keys, personal tokens, OAuth client secrets and invitations: a keyed digest,
// HMAC-SHA256(pepper, secret) (RFC 2104) in base64url, stored with the id of the pepper that made it.
//
// Why keyed: the secrets carry ≥ 160 random bits, so nobody can brute-force a plain hash either; the pepper (held
// in configuration, never in the database) means a stolen database dump cannot even confirm a candidate key.
// Why not scrypt/bcrypt: those slow down guessing of low-entropy passwords; here there is nothing to guess, and
// the gateway must look a key up in microseconds.
//
// Rotation (also in keys/README.md):
//  1. Generate a pepper (`openssl rand -base64 32 | tr '+/' '-_' | tr -d =`) and put it first in
//     PORTICO_KEY_PEPPERS with a new id, keeping the old ones after it (`2026b:<new>,2026a:<old>`). Restart or
//     roll out every process (a gateway that lacks the new pepper cannot verify the keys created with it).
//  2. New secrets are digested with the new pepper. Lookups use candidateDigests() — the current pepper's digest
//     first, then each older one's — so existing secrets keep working (one `digest in (…)` on the unique index).
//  3. A secret found under an older pepper is re-digested with the current one (needsRedigest(); the store does
//     it off the hot path, batched like last-used times). Unused secrets stay under the old pepper.
//  4. Remove an old pepper only once no row carries its id (`npm run keys -- status` counts them), or after
//     revoking the rows that still do: a secret whose pepper left the ring can no longer be verified.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { createSecretRing } from './secret-ring';
import type { RingSecret, SecretRing } from './secret-ring';

/** A pepper is at least 32 bytes (RFC 2104 §3: a key shorter than the hash output is strongly discouraged). */
export const PEPPER_RULES = Object.freeze({ name: 'key pepper', minBytes: 32 });

/** The ring of peppers from configuration (config.keyPeppers), current first. Throws if it is invalid. */
export function createPepperRing(peppers: readonly RingSecret[]): SecretRing {
  return createSecretRing(peppers, PEPPER_RULES);
}

/** A stored digest and the pepper that made it: the columns `digest` and `pepper_id`. */
export interface KeyDigest {
  readonly pepperId: string;
  /** 43 base64url characters; unique across all secrets (the lookup index). */
  readonly digest: string;
}

/** HMAC-SHA256(pepper, secret), base64url without padding. */
export function digestKey(pepper: RingSecret, secret: string): string {
  return createHmac('sha256', keyObjectOf(pepper.secret)).update(secret, 'utf8').digest('base64url');
}

// A key given as bytes is imported into a new KeyObject on every createHmac; the gateway digests a key per request.
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObjectOf(secret: Buffer): KeyObject {
  let key = keyObjects.get(secret);
  if (!key) keyObjects.set(secret, (key = createSecretKey(secret)));
  return key;
}

/** What to store for a new secret: its digest under the current pepper. */
export function storedDigest(ring: SecretRing, secret: string): KeyDigest {
  return { pepperId: ring.current.id, digest: digestKey(ring.current, secret) };
}

/**
 * The digests a presented secret may be stored under, current pepper first. The store looks them up with one
 * indexed `where digest in (…)`. A cache keys its entries by the first (never by the secret itself).
 */
export function candidateDigests(ring: SecretRing, secret: string): KeyDigest[] {
  const out = [storedDigest(ring, secret)];
  for (const pepper of ring.byId.values()) {
    if (pepper !== ring.current) out.push({ pepperId: pepper.id, digest: digestKey(pepper, secret) });
  }
  return out;
}

/** Whether a row's digest was made with another pepper than the current one and should be replaced. */
export function needsRedigest(ring: SecretRing, pepperId: string): boolean {
  return pepperId !== ring.current.id;
}

/**
 * Compares two digests in constant time (crypto.timingSafeEqual). Used where a row is found by something other
 * than the digest (an OAuth client by its id, a cached entry) and the presented secret must then match it.
 * A lookup *by* digest needs no such care: the attacker cannot choose the bits of an HMAC under a secret pepper,
 * so index timing tells them nothing.
 */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual throws on different lengths; compare equal lengths anyway so both paths do the same work.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

export type DigestCheck =
  { readonly matches: false } | { readonly matches: true; readonly needsRedigest: boolean };

/**
 * Whether `presented` is the secret behind `stored`, using the pepper `stored` names (an OAuth client's current
 * or previous secret). No match, not an error, when that pepper left the ring: the secret cannot be verified.
 */
export function checkAgainstDigest(ring: SecretRing, stored: KeyDigest, presented: string): DigestCheck {
  const pepper = ring.byId.get(stored.pepperId);
  if (pepper === undefined) return { matches: false };
  if (!sameDigest(digestKey(pepper, presented), stored.digest)) return { matches: false };
  return { matches: true, needsRedigest: pepper !== ring.current };
}
