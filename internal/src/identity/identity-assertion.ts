// The identity assertion: a short-lived JWT (RFC 7519) the gateway signs with Ed25519 for each forwarded request,
// telling the backend who is calling. Registered claims plus public claims under the `https://portico.dev/`
// namespace (RFC 7519 §4.2), the same names as the access tokens' (keys/src/oauth/claims.ts). See README.md here.
import type { Environment } from '../http/locals';

/** The request header carrying the assertion, gateway → backend (README.md says why not `Authorization`). */
export const IDENTITY_ASSERTION_HEADER = 'x-portico-identity';

export const IDENTITY_ISSUER = 'portico-gateway';
/** RFC 8725 §3.11 explicit typing: an access token or any other JWT can never pass for an identity assertion. */
export const IDENTITY_TYP = 'portico-identity+jwt';
/** RFC 8037 §3.1: Ed25519 signatures in JWS. The only algorithm signed or accepted. */
export const IDENTITY_ALG = 'EdDSA';

export const PARTNER_CLAIM = 'https://portico.dev/partner_id';
export const APP_CLAIM = 'https://portico.dev/app_id';
export const ENVIRONMENT_CLAIM = 'https://portico.dev/environment';
export const AUTH_SCHEME_CLAIM = 'https://portico.dev/auth_scheme';

/** How the caller proved itself: the names of the security schemes in specs/common/security.yaml. */
export type AuthScheme = 'apiKey' | 'oauth2' | 'signature';
const AUTH_SCHEMES: ReadonlySet<string> = new Set<AuthScheme>(['apiKey', 'oauth2', 'signature']);

/**
 * Who is calling, as the gateway established it. The gateway's GatewayCaller (gateway/src/policies/authenticate/
 * caller.ts) has this shape plus the plan, so it is passed to the signer as it is.
 */
export interface CallerIdentity {
  readonly scheme: AuthScheme;
  /** The API key id (`key_…`), OAuth client id (`oac_…`) or signing key id: the JWT `sub`. */
  readonly credentialId: string;
  readonly appId: string;
  readonly partnerId: string;
  readonly environment: Environment;
  /** The effective scopes of this request's credential. */
  readonly scopes: readonly string[];
}

export interface IdentityClaims {
  readonly iss: typeof IDENTITY_ISSUER;
  /** The backend the assertion is for (`crm`, `orders`, `entitlements`): one backend cannot replay it at another. */
  readonly aud: string;
  readonly sub: string;
  /** NumericDate seconds (RFC 7519 §2). No `nbf`: an assertion is good from `iat`. */
  readonly iat: number;
  readonly exp: number;
  /** RFC 8693 §4.2: space-separated scopes; empty when the credential holds none. */
  readonly scope: string;
  readonly [PARTNER_CLAIM]: string;
  readonly [APP_CLAIM]: string;
  readonly [ENVIRONMENT_CLAIM]: Environment;
  readonly [AUTH_SCHEME_CLAIM]: AuthScheme;
}

export function identityClaims(
  identity: CallerIdentity,
  audience: string,
  issuedAtSeconds: number,
  lifetimeSeconds: number,
): IdentityClaims {
  return {
    iss: IDENTITY_ISSUER,
    aud: audience,
    sub: identity.credentialId,
    iat: issuedAtSeconds,
    exp: issuedAtSeconds + lifetimeSeconds,
    scope: identity.scopes.join(' '),
    [PARTNER_CLAIM]: identity.partnerId,
    [APP_CLAIM]: identity.appId,
    [ENVIRONMENT_CLAIM]: identity.environment,
    [AUTH_SCHEME_CLAIM]: identity.scheme,
  };
}

// Partner ids: `prt_` and an opaque body (ULIDs, and the seeded demo partner `prt_demo`).
const PARTNER_ID = /^prt_[A-Za-z0-9]{4,64}$/;
const OPAQUE_ID = /^[A-Za-z0-9_-]{1,128}$/;
// RFC 6749 §3.3: scope-token = 1*NQCHAR, NQCHAR = %x21 / %x23-5B / %x5D-7E.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when every scope is one RFC 6749 scope token, so that joining them with spaces is reversible. */
export function areScopeTokens(scopes: readonly string[]): boolean {
  return scopes.every((scope) => SCOPE_TOKEN.test(scope));
}

/**
 * The claims of an assertion whose signature is valid, checked for presence and type, or null. Issuer, audience and
 * times are the verifier's to judge (it reports which one failed); this only refuses what is malformed.
 */
export function readIdentityClaims(payload: unknown): IdentityClaims | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const p = payload as Record<string, unknown>;
  for (const name of ['iss', 'aud', 'scope'] as const) if (typeof p[name] !== 'string') return null;
  for (const name of ['iat', 'exp'] as const) if (!Number.isSafeInteger(p[name])) return null;
  if (typeof p.sub !== 'string' || !OPAQUE_ID.test(p.sub)) return null;
  if (typeof p[APP_CLAIM] !== 'string' || !OPAQUE_ID.test(p[APP_CLAIM])) return null;
  if (typeof p[PARTNER_CLAIM] !== 'string' || !PARTNER_ID.test(p[PARTNER_CLAIM])) return null;
  if (p[ENVIRONMENT_CLAIM] !== 'test' && p[ENVIRONMENT_CLAIM] !== 'live') return null;
  if (typeof p[AUTH_SCHEME_CLAIM] !== 'string' || !AUTH_SCHEMES.has(p[AUTH_SCHEME_CLAIM])) return null;
  const scope = p.scope as string;
  if (scope !== '' && !areScopeTokens(scope.split(' '))) return null;
  return p as unknown as IdentityClaims;
}

/** The caller an assertion names (frozen: verifications are cached and shared between requests). */
export function callerFromClaims(claims: IdentityClaims): CallerIdentity {
  return Object.freeze({
    scheme: claims[AUTH_SCHEME_CLAIM],
    credentialId: claims.sub,
    appId: claims[APP_CLAIM],
    partnerId: claims[PARTNER_CLAIM],
    environment: claims[ENVIRONMENT_CLAIM],
    scopes: Object.freeze(claims.scope === '' ? [] : claims.scope.split(' ')),
  });
}
