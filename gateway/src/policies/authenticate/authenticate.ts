// The authentication policy: turns the one credential a request presents into a GatewayCaller, or refuses with the
// same 401 whatever went wrong (DESIGN.md; keys/src/domain/outcomes.ts explains the masking). The reason goes to
// the request's log line only. Scopes are checked afterwards (scopes.ts): authorisation answers 403, not 401.
import type { IncomingHttpHeaders } from 'node:http';
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { KeyVerification } from '../../../../keys/src/domain/outcomes';
import type { AccessTokenVerification } from '../../../../keys/src/oauth/token-outcomes';
import { callerOf, type GatewayCaller } from './caller';
import { presentedCredential } from './presented-credential';

/** A request as the signature check needs it; the gateway reads the body once and keeps the raw bytes. */
export interface SignedRequestInput {
  method: string;
  headers: IncomingHttpHeaders;
  /** The request target as received (path and query). */
  url: string;
  body: Buffer | undefined;
}

export type SignatureAuthentication = { outcome: 'valid'; caller: GatewayCaller } | { outcome: string };

export interface AuthenticatorDeps {
  verifyApiKey(presented: string): Promise<KeyVerification>;
  verifyAccessToken(presented: string): Promise<AccessTokenVerification>;
  /** RFC 9421 signed requests (policies/signature); absent → signed requests are refused. */
  verifySignature?: (request: SignedRequestInput) => Promise<SignatureAuthentication>;
}

export type Authentication =
  | { outcome: 'authenticated'; caller: GatewayCaller }
  /** `reason` is for the log (`api_key:revoked`, `none` …); the caller sees only the 401. */
  | { outcome: 'refused'; reason: string; tokenPresented: boolean };

export type Authenticator = (request: SignedRequestInput) => Promise<Authentication>;

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  return async function authenticate(request) {
    const presented = presentedCredential(request.headers);
    switch (presented.kind) {
      case 'none':
        return { outcome: 'refused', reason: 'none', tokenPresented: false };
      case 'invalid':
        return { outcome: 'refused', reason: `invalid:${presented.reason}`, tokenPresented: true };
      case 'api_key': {
        const verified = await deps.verifyApiKey(presented.value);
        if (verified.outcome !== 'valid') {
          return { outcome: 'refused', reason: `api_key:${verified.outcome}`, tokenPresented: true };
        }
        return { outcome: 'authenticated', caller: callerOf('apiKey', verified.key) };
      }
      case 'access_token': {
        const verified = await deps.verifyAccessToken(presented.value);
        if (verified.outcome !== 'valid') {
          return { outcome: 'refused', reason: `access_token:${verified.outcome}`, tokenPresented: true };
        }
        const token = verified.token;
        return {
          outcome: 'authenticated',
          caller: {
            scheme: 'oauth2',
            credentialId: token.clientId,
            appId: token.appId,
            partnerId: token.partnerId,
            environment: token.environment,
            scopes: token.scopes,
            planId: token.planId,
          },
        };
      }
      case 'signature': {
        if (!deps.verifySignature)
          return { outcome: 'refused', reason: 'signature:disabled', tokenPresented: true };
        const verified = await deps.verifySignature(request);
        if (verified.outcome !== 'valid' || !('caller' in verified)) {
          return { outcome: 'refused', reason: `signature:${verified.outcome}`, tokenPresented: true };
        }
        return { outcome: 'authenticated', caller: verified.caller };
      }
    }
  };
}

/**
 * The one 401 of the gateway (RFC 6750 §3, RFC 9110 §11.6.1): the same body for every reason; `error="invalid_token"`
 * only tells that a credential was presented, which the caller knows anyway.
 */
export function unauthenticated(refusal: Extract<Authentication, { outcome: 'refused' }>): ProblemError {
  return new ProblemError(
    'unauthenticated',
    'A valid API key, access token or request signature is required.',
    {
      headers: {
        'WWW-Authenticate': refusal.tokenPresented
          ? 'Bearer realm="portico", error="invalid_token"'
          : 'Bearer realm="portico"',
      },
      internalMessage: `authentication refused: ${refusal.reason}`,
    },
  );
}
