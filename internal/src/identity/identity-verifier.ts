// Verifies identity assertions in a backend: strict compact-JWS parsing, EdDSA pinned (RFC 8725 §3.1), the key named
// by `kid` among the configured ones, then issuer, audience and times with a small leeway. Synchronous; a token seen
// before is answered from a bounded cache until it expires, since the gateway reuses each assertion for ~45 s.
import { verify, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import {
  IDENTITY_ALG,
  IDENTITY_ISSUER,
  IDENTITY_TYP,
  callerFromClaims,
  readIdentityClaims,
  type CallerIdentity,
} from './identity-assertion';

export interface IdentityVerifierOptions {
  /** kid → Ed25519 public key (identityPublicKeys of the ring): every key the gateway may be signing with. */
  publicKeys: ReadonlyMap<string, KeyObject>;
  /** This backend's name, which must be the assertion's `aud` (`crm`, `orders`, `entitlements`). */
  audience: string;
  clock: Clock;
  /** Clock skew tolerated on `iat` and `exp` between gateway and backend hosts (RFC 7519 §4.1.4). Default 5. */
  leewaySeconds?: number;
  /** Longest `exp − iat` accepted, so a misconfigured signer cannot mint long-lived identities. Default 300. */
  maxLifetimeSeconds?: number;
  /** Verified tokens remembered at most (oldest dropped first). Default 10 000. */
  maxCacheEntries?: number;
}

/** Why an assertion was refused: for the log only, the caller sees one 401 whatever it is. */
export type IdentityRefusal =
  | 'missing'
  | 'malformed'
  | 'unsupported_header'
  | 'unknown_key'
  | 'bad_signature'
  | 'invalid_claims'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'issued_in_future'
  | 'lifetime_too_long'
  | 'expired';

export type IdentityVerification =
  | { readonly outcome: 'valid'; readonly identity: CallerIdentity; readonly expiresAtSeconds: number }
  | { readonly outcome: 'refused'; readonly reason: IdentityRefusal };

export type IdentityVerifier = (token: string | undefined) => IdentityVerification;

/** Far above any assertion the signer makes (~650 characters with every scope); bounds the work and the cache's memory. */
export const MAX_ASSERTION_LENGTH = 4096;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** An Ed25519 signature is 64 bytes: 86 base64url characters without padding. */
const SIGNATURE_LENGTH = 86;
const HEADER_MEMBERS = 3;

const refusals = new Map<IdentityRefusal, IdentityVerification>();
function refused(reason: IdentityRefusal): IdentityVerification {
  let outcome = refusals.get(reason);
  if (!outcome) refusals.set(reason, (outcome = Object.freeze({ outcome: 'refused', reason })));
  return outcome;
}

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const { publicKeys, audience, clock } = options;
  const leewaySeconds = options.leewaySeconds ?? 5;
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? 300;
  const maxCacheEntries = options.maxCacheEntries ?? 10_000;
  if (publicKeys.size === 0) throw new Error('the identity verifier needs at least one public key');
  for (const [kid, key] of publicKeys) {
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`identity key '${kid}' is not an Ed25519 key`);
  }
  if (audience === '') throw new Error('the identity verifier needs an audience');
  const verified = new Map<string, Extract<IdentityVerification, { outcome: 'valid' }>>();

  return function verifyIdentityAssertion(token) {
    if (token === undefined || token === '') return refused('missing');
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    const hit = verified.get(token);
    if (hit) {
      if (nowSeconds < hit.expiresAtSeconds + leewaySeconds) return hit;
      verified.delete(token);
      return refused('expired');
    }
    const outcome = verifyUncached(token, nowSeconds);
    if (outcome.outcome === 'valid') {
      if (verified.size >= maxCacheEntries) {
        const oldest = verified.keys().next();
        if (!oldest.done) verified.delete(oldest.value);
      }
      verified.set(token, outcome);
    }
    return outcome;
  };

  function verifyUncached(token: string, nowSeconds: number): IdentityVerification {
    if (token.length > MAX_ASSERTION_LENGTH) return refused('malformed');
    const parts = token.split('.');
    if (parts.length !== 3) return refused('malformed');
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    if (!SEGMENT.test(headerPart) || !SEGMENT.test(payloadPart)) return refused('malformed');

    // The header is checked before any key or signature work: `none`, HS256 (the public key as an HMAC secret),
    // another typ, and members that would change how the token is processed (`crit`, `jku`, `jwk`, `b64` …)
    // are refused outright.
    const header = parseJsonObject(headerPart);
    if (!header) return refused('malformed');
    if (
      header.alg !== IDENTITY_ALG ||
      header.typ !== IDENTITY_TYP ||
      typeof header.kid !== 'string' ||
      Object.keys(header).length !== HEADER_MEMBERS
    ) {
      return refused('unsupported_header');
    }
    const publicKey = publicKeys.get(header.kid);
    if (!publicKey) return refused('unknown_key');

    // Node decodes base64url leniently (it skips stray characters); insist on the one canonical encoding.
    if (signaturePart.length !== SIGNATURE_LENGTH || !SEGMENT.test(signaturePart))
      return refused('bad_signature');
    const signature = Buffer.from(signaturePart, 'base64url');
    if (signature.toString('base64url') !== signaturePart) return refused('bad_signature');
    if (!verify(null, Buffer.from(`${headerPart}.${payloadPart}`), publicKey, signature)) {
      return refused('bad_signature');
    }

    const claims = readIdentityClaims(parseJsonObject(payloadPart));
    if (!claims) return refused('invalid_claims');
    if (claims.iss !== IDENTITY_ISSUER) return refused('wrong_issuer');
    // A string `aud` only: the signer never makes an array, and one backend's assertion must not open another.
    if (claims.aud !== audience) return refused('wrong_audience');
    if (claims.exp <= claims.iat) return refused('invalid_claims');
    if (claims.exp - claims.iat > maxLifetimeSeconds) return refused('lifetime_too_long');
    if (claims.iat > nowSeconds + leewaySeconds) return refused('issued_in_future');
    // RFC 7519 §4.1.4: not accepted on or after `exp` (plus the leeway for skew).
    if (nowSeconds >= claims.exp + leewaySeconds) return refused('expired');
    return Object.freeze({
      outcome: 'valid',
      identity: callerFromClaims(claims),
      expiresAtSeconds: claims.exp,
    });
  }
}

function parseJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
