// Signs identity assertions on the gateway (DESIGN.md "Proxying"): compact JWS with EdDSA over Ed25519 (RFC 8037)
// through node:crypto — synchronous, ~40 µs a signature, and jsonwebtoken 9 has no EdDSA. One assertion per caller
// and backend is reused until it has less than lifetime − reuse seconds left, so a warm request signs nothing.
import { sign, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import {
  IDENTITY_ALG,
  IDENTITY_TYP,
  areScopeTokens,
  identityClaims,
  readIdentityClaims,
  type CallerIdentity,
} from './identity-assertion';
import { IDENTITY_KID_PATTERN } from './identity-keys';

export interface IdentitySignerOptions {
  /** The current key of the ring (identity-keys.ts): Ed25519 only. */
  privateKey: KeyObject;
  kid: string;
  /** `exp − iat` of every assertion. Short: a leaked assertion is worth a minute at most. Default 60. */
  lifetimeSeconds?: number;
  /**
   * How long one assertion is handed out before a fresh one is signed. What is left of its lifetime then
   * (lifetime − reuse, 15 s by default) is the time a request carrying it has to reach the backend, retries
   * included: keep it above the longest upstream timeout. Default 45.
   */
  reuseSeconds?: number;
  clock: Clock;
  /** Credentials whose assertions are kept at most (least recently used dropped first). Default 10 000. */
  maxEntries?: number;
}

/** Returns the assertion to send to `audience` (a backend's name, e.g. `crm`) for this caller. */
export type IdentitySigner = (identity: CallerIdentity, audience: string) => string;

interface CachedAssertion {
  token: string;
  issuedAtSeconds: number;
}

/** What one credential's assertions say besides the audience, and its assertion per backend. */
interface CredentialEntry {
  identity: CallerIdentity;
  byAudience: Map<string, CachedAssertion>;
}

export function createIdentitySigner(options: IdentitySignerOptions): IdentitySigner {
  const lifetimeSeconds = options.lifetimeSeconds ?? 60;
  const reuseSeconds = options.reuseSeconds ?? 45;
  const maxEntries = options.maxEntries ?? 10_000;
  const { privateKey, clock } = options;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('the identity signer needs an Ed25519 private key');
  }
  if (!IDENTITY_KID_PATTERN.test(options.kid)) throw new Error(`invalid identity key id '${options.kid}'`);
  if (!Number.isSafeInteger(lifetimeSeconds) || lifetimeSeconds < 1) {
    throw new Error('lifetimeSeconds must be a positive integer');
  }
  if (!Number.isSafeInteger(reuseSeconds) || reuseSeconds < 0 || reuseSeconds >= lifetimeSeconds) {
    throw new Error('reuseSeconds must be an integer from 0 to lifetimeSeconds − 1');
  }
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new Error('maxEntries must be at least 1');

  // The header never changes for a key: encode it once.
  const header = Buffer.from(
    JSON.stringify({ alg: IDENTITY_ALG, kid: options.kid, typ: IDENTITY_TYP }),
  ).toString('base64url');
  // Keyed by credential id, the string the gateway's own verification cache hands over each time (its hash is
  // cached, unlike a composite key built per request: that lookup alone cost more than the rest of a warm call).
  // Map order is insertion order: re-inserting on use makes the first entry the least recently used.
  const cache = new Map<string, CredentialEntry>();

  return function assertionFor(identity, audience) {
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    let entry = cache.get(identity.credentialId);
    if (entry) cache.delete(identity.credentialId);
    // A changed scope set, app or environment must never reuse what was asserted before.
    if (!entry || !sameIdentity(entry.identity, identity)) {
      entry = { identity: snapshot(identity), byAudience: new Map() };
    }
    cache.set(identity.credentialId, entry);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);

    const cached = entry.byAudience.get(audience);
    // A clock stepped back before the cached `iat` would make it look issued in the future: sign again.
    if (
      cached &&
      nowSeconds < cached.issuedAtSeconds + reuseSeconds &&
      nowSeconds >= cached.issuedAtSeconds
    ) {
      return cached.token;
    }
    const token = signAssertion(identity, audience, nowSeconds);
    entry.byAudience.set(audience, { token, issuedAtSeconds: nowSeconds });
    return token;
  };

  function signAssertion(identity: CallerIdentity, audience: string, nowSeconds: number): string {
    const claims = identityClaims(identity, audience, nowSeconds, lifetimeSeconds);
    // Checked here, on the cold path only, so a gateway bug shows up as its own error rather than as 401s from
    // every backend.
    if (readIdentityClaims(claims) === null || !areScopeTokens(identity.scopes) || audience === '') {
      throw new Error(`cannot assert a malformed identity (credential ${identity.credentialId})`);
    }
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    // RFC 8037 §3.1: EdDSA signs the JWS signing input itself; Ed25519 takes no digest (algorithm null).
    return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
  }
}

function snapshot(identity: CallerIdentity): CallerIdentity {
  const { scheme, credentialId, appId, partnerId, environment } = identity;
  return { scheme, credentialId, appId, partnerId, environment, scopes: [...identity.scopes] };
}

function sameIdentity(a: CallerIdentity, b: CallerIdentity): boolean {
  if (
    a.scheme !== b.scheme ||
    a.appId !== b.appId ||
    a.partnerId !== b.partnerId ||
    a.environment !== b.environment ||
    a.scopes.length !== b.scopes.length
  ) {
    return false;
  }
  for (let i = 0; i < a.scopes.length; i++) if (a.scopes[i] !== b.scopes[i]) return false;
  return true;
}
