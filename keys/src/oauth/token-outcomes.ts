// What issuing and verifying an access token can conclude, as data: the HTTP layers (the gateway's /oauth/token
// handler and its authenticate policy) map each outcome to a response; the real reason goes to the log.
//
// Masking (RFC 6749 §5.2, RFC 6750 §3.1): every client authentication failure is the same `invalid_client`, and
// every token failure the same `invalid_token` — telling an unknown client from a wrong secret, or a revoked
// client's token from an expired one, would help whoever is probing with stolen or guessed credentials.
import type { Environment } from '../domain/environment';
import type { PublicScope } from '../domain/scopes';

export const CLIENT_AUTH_FAILURES = [
  /** The client id is not an `oac_` id: refused without a lookup. */
  'malformed_client_id',
  /** The secret is not a `pto_` secret with a valid checksum: refused without a lookup. */
  'malformed_secret',
  /** No such client (never created, or deleted — the store removes a deleted client's row). */
  'unknown_client',
  /** The client's app was deleted. */
  'app_deleted',
  /** Neither the current secret nor the previous one within its overlap. */
  'wrong_secret',
  /** The secret is for the other environment than the client's (the environment is in its text). */
  'environment_mismatch',
  'app_not_active',
  'partner_suspended',
] as const;

export type ClientAuthFailure = (typeof CLIENT_AUTH_FAILURES)[number];

/** RFC 6749 §5.1, as the /oauth/token handler sends it (with Cache-Control: no-store, RFC 6749 §5.1). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** Who a token (issued or verified) speaks for. */
export interface TokenSubject {
  readonly clientId: string;
  readonly partnerId: string;
  readonly appId: string;
  readonly environment: Environment;
  readonly scopes: readonly PublicScope[];
  /** The token's `jti`. */
  readonly tokenId: string;
  /** ISO timestamp of `exp`. */
  readonly expiresAt: string;
}

export type TokenIssuance =
  | {
      readonly outcome: 'issued';
      readonly response: TokenResponse;
      readonly token: TokenSubject & { readonly kid: string; readonly planId: string };
      /** The secret matched under an older pepper: the caller may re-digest it off the hot path. */
      readonly needsRedigest: boolean;
      /** Which secret matched: `previous` while the client still uses a rotated-out secret. */
      readonly matchedSecret: 'current' | 'previous';
    }
  | { readonly outcome: 'invalid_client'; readonly reason: ClientAuthFailure }
  | {
      readonly outcome: 'invalid_scope';
      readonly reason: 'not_held' | 'malformed' | 'none';
      /** The requested scopes that were refused (never the scopes the client holds). */
      readonly scopes: readonly string[];
    };

export const TOKEN_FAILURES = [
  /** Not three base64url parts with a JSON header and payload. */
  'malformed',
  /** RFC 9068 §4: `typ` must be `at+jwt` (an ID token or any other JWT is not an access token). */
  'wrong_type',
  /** The header's `alg` is not ES256 or RS256 (`none`, HS256 …), or not the algorithm of the key it names. */
  'algorithm_not_allowed',
  /** No `kid`, or one no published key has (even after a reload). */
  'unknown_key',
  'bad_signature',
  'wrong_issuer',
  'wrong_audience',
  'expired',
  'not_yet_valid',
  /** A required claim is absent or of the wrong type, or sub ≠ client_id. */
  'missing_claims',
  /** The client behind the token no longer exists (deleted: its tokens die with it), or its app was deleted. */
  'client_not_found',
  /** The token's partner, app or environment claims disagree with the client's record. */
  'client_mismatch',
  'app_not_active',
  'partner_suspended',
] as const;

export type TokenFailure = (typeof TOKEN_FAILURES)[number];

export type AccessTokenVerification =
  | {
      readonly outcome: 'valid';
      /** Scopes are the token's ∩ what the client holds now (an app narrowed since issuance narrows its tokens). */
      readonly token: TokenSubject & { readonly planId: string };
    }
  | { readonly outcome: TokenFailure };

const FAILURES = Object.freeze(
  Object.fromEntries(TOKEN_FAILURES.map((outcome) => [outcome, Object.freeze({ outcome })])),
) as Readonly<Record<TokenFailure, AccessTokenVerification>>;

/** One frozen object per failure, so the failing path allocates nothing. */
export function tokenFailure(outcome: TokenFailure): AccessTokenVerification {
  return FAILURES[outcome];
}

/**
 * The RFC 6749 §5.2 error response of a failed issuance: status and body. The description is fixed per error so
 * that it reveals nothing; an `invalid_client` is a 401 (the handler adds `WWW-Authenticate: Basic` when the client
 * authenticated with HTTP Basic, RFC 6749 §5.2).
 */
export function tokenErrorResponse(issuance: Exclude<TokenIssuance, { outcome: 'issued' }>): {
  status: 400 | 401;
  body: { error: 'invalid_client' | 'invalid_scope'; error_description: string };
} {
  if (issuance.outcome === 'invalid_client') {
    return {
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed.' },
    };
  }
  return {
    status: 400,
    body: {
      error: 'invalid_scope',
      error_description:
        issuance.reason === 'not_held'
          ? `The client may not request: ${issuance.scopes.join(' ')}.`
          : issuance.reason === 'malformed'
            ? 'The scope parameter is malformed.'
            : 'The client holds no scope.',
    },
  };
}
