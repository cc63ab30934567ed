// The claims of a Portico access token (RFC 9068 "JWT Profile for OAuth 2.0 Access Tokens"): the registered
// ones, and three public claims under the `https://portico.dev/` namespace (RFC 7519 §4.2: collision-resistant
// names) saying whose credential it is. Documented in keys/src/oauth/README.md.
import type { Environment } from '../domain/environment';
import { isEnvironment } from '../domain/environment';

export const PARTNER_CLAIM = 'https://portico.dev/partner_id';
export const APP_CLAIM = 'https://portico.dev/app_id';
export const ENVIRONMENT_CLAIM = 'https://portico.dev/environment';

/** RFC 9068 §2.1: the `typ` header of an access token; verification also accepts `application/at+jwt`. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessTokenClaims {
  /** RFC 9068 §2.2: the issuer, the resource server(s), and for client credentials sub = the client id. */
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly client_id: string;
  /** NumericDate seconds (RFC 7519 §2). nbf = iat: a token is good from the moment it is issued. */
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  /** A fresh `atk_` id: lets the log tie a request to the token issuance, and a future deny-list name a token. */
  readonly jti: string;
  /** RFC 9068 §2.2.3 / RFC 8693 §4.2: space-separated scopes. */
  readonly scope: string;
  readonly [PARTNER_CLAIM]: string;
  readonly [APP_CLAIM]: string;
  readonly [ENVIRONMENT_CLAIM]: Environment;
}

/**
 * The claims of a verified token, checked for presence and type (jsonwebtoken checks only the values it is asked
 * about; a token lacking `exp` would otherwise never expire). Null when any is missing or of the wrong type.
 */
export function readAccessTokenClaims(payload: unknown): AccessTokenClaims | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const strings = ['iss', 'aud', 'sub', 'client_id', 'jti', 'scope', PARTNER_CLAIM, APP_CLAIM] as const;
  for (const name of strings) if (typeof p[name] !== 'string' || p[name] === '') return null;
  for (const name of ['iat', 'nbf', 'exp'] as const) if (!Number.isInteger(p[name])) return null;
  if (!isEnvironment(p[ENVIRONMENT_CLAIM])) return null;
  // RFC 9068 §2.2: for a client acting on its own behalf, the subject is the client.
  if (p.sub !== p.client_id) return null;
  return p as unknown as AccessTokenClaims;
}
