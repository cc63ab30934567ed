// The portal's session cookie and its CSRF token. The cookie holds an opaque 256-bit token; the store keeps only
// its keyed digest (key-digest.ts). The CSRF token is derived from the session token with the pepper, never stored,
// so GET /session can hand it back after a reload, and a database dump reveals neither.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from './base62';
import { candidateDigests, type KeyDigest } from './key-digest';
import type { RingSecret, SecretRing } from './secret-ring';

/** 32 random bytes, base64url without padding: 43 characters. */
export const SESSION_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new session token (the cookie's value), from crypto.randomBytes unless a test passes a source. */
export function generateSessionToken(random: RandomBytes = randomBytes): string {
  return Buffer.from(random(SESSION_TOKEN_BYTES)).toString('base64url');
}

/** Whether `presented` could be a session token at all; anything else is refused before any lookup. */
export function isSessionTokenShaped(presented: unknown): presented is string {
  return typeof presented === 'string' && TOKEN_PATTERN.test(presented);
}

/**
 * The digests a presented session token may be stored under (current pepper first), for one indexed
 * `token_digest in (…)`. Sessions last at most 7 days, so a retired pepper may leave the ring 7 days after it
 * stopped being current without any re-digesting.
 */
export function sessionTokenDigests(peppers: SecretRing, token: string): KeyDigest[] {
  return candidateDigests(peppers, token);
}

// Domain separation: the digest is HMAC(pepper, token), the CSRF token HMAC(pepper, 'csrf:' + token). A session
// token never contains ':', so the two inputs never coincide and a stored digest is never a valid CSRF token.
function csrfUnder(pepper: RingSecret, sessionToken: string): string {
  return createHmac('sha256', pepper.secret).update(`csrf:${sessionToken}`, 'utf8').digest('base64url');
}

/**
 * The CSRF token of a session (OWASP's HMAC-based synchronizer token): 43 base64url characters, the same for the
 * whole life of the session, derivable only by someone holding both the session token and the pepper.
 */
export function csrfTokenFor(peppers: SecretRing, sessionToken: string): string {
  return csrfUnder(peppers.current, sessionToken);
}

/**
 * Whether `presented` is the CSRF token of `sessionToken`, compared in constant time. Tokens derived under any
 * pepper of the ring are accepted, so a pepper rotation does not fail the pages already open in browsers.
 */
export function verifyCsrfToken(peppers: SecretRing, sessionToken: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const given = Buffer.from(presented, 'utf8');
  let matched = false;
  for (const pepper of peppers.byId.values()) {
    const expected = Buffer.from(csrfUnder(pepper, sessionToken), 'utf8');
    // Compare equal lengths in any case, so a wrong-length value costs the same as a wrong value.
    const same =
      given.length === expected.length
        ? timingSafeEqual(given, expected)
        : !timingSafeEqual(expected, expected);
    matched = matched || same;
  }
  return matched;
}
