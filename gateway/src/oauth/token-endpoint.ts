// POST /oauth/token, the client-credentials grant (RFC 6749 §4.4): parse the request (token-request.ts), let
// keys/src/oauth issue the token, and answer with the RFC 6749 §5.1 body or a §5.2 error. The outcome goes back to
// the app for its access line and metrics; neither the secret nor the token is ever logged or returned there.
import type { Logger } from '../../../internal/src/logger';
import { ProblemError } from '../../../internal/src/problem/problem';
import type { TokenIssuer } from '../../../keys/src/oauth/issue-access-token';
import { tokenErrorResponse, type TokenIssuance } from '../../../keys/src/oauth/token-outcomes';
import {
  DEFAULT_PROBLEM_BASE_URL,
  jsonResponse,
  methodNotAllowed,
  problemResponse,
  TOKEN_PATH,
  type EndpointRequest,
  type EndpointResponse,
} from './endpoint';
import { parseTokenRequest } from './token-request';

export interface TokenEndpointDeps {
  /** createOAuthService(…).issueAccessToken. */
  issueAccessToken: TokenIssuer;
  logger: Logger;
  /** The configured PORTICO_PROBLEM_BASE_URL, for the `type` of the 405 and 500 problem documents. */
  problemBaseUrl?: string;
}

export interface TokenEndpointResponse extends EndpointResponse {
  /**
   * For the access line and metrics: `issued`, `invalid_client:<reason>`, `invalid_scope:<reason>`,
   * `invalid_request:<reason>`, `unsupported_grant_type`, `method_not_allowed` or `error`.
   */
  outcome: string;
  /** On `issued`: who got which token (the access line's partner and app), never the token itself. */
  issued?: {
    clientId: string;
    partnerId: string;
    appId: string;
    environment: string;
    tokenId: string;
    kid: string;
    /** `previous` while the client still uses a rotated-out secret (worth telling its owner). */
    matchedSecret: 'current' | 'previous';
    /** The secret matched under an older pepper; re-digesting it is left to a job, off this path. */
    needsRedigest: boolean;
  };
}

export type TokenEndpoint = (request: EndpointRequest) => Promise<TokenEndpointResponse>;

/**
 * RFC 6749 §5.1 and §5.2: every token response, success or error, carries `Cache-Control: no-store` and
 * `Pragma: no-cache` — a token or a refusal kept by a cache would be served to someone else.
 */
const NO_STORE = Object.freeze({ 'cache-control': 'no-store', pragma: 'no-cache' });

/**
 * RFC 6749 §5.2 answers invalid_client with 401; RFC 9110 §15.5.2 requires a 401 to carry a challenge, and §5.2
 * requires it to match the scheme a client used in Authorization. Basic is the only scheme we accept, so every 401
 * gets this one (it also keeps the 401s of both authentication methods identical).
 */
const BASIC_CHALLENGE = 'Basic realm="portico"';

/** The library's invalid_client answer does not depend on the reason (masking); reused for the HTTP layer's own. */
const INVALID_CLIENT = tokenErrorResponse({ outcome: 'invalid_client', reason: 'unknown_client' });

export function createTokenEndpoint(deps: TokenEndpointDeps): TokenEndpoint {
  const problemBaseUrl = deps.problemBaseUrl ?? DEFAULT_PROBLEM_BASE_URL;

  return async function tokenEndpoint(request) {
    const context = { problemBaseUrl, requestId: request.requestId, instance: TOKEN_PATH };
    // RFC 6749 §3.2: the client MUST use POST. A wrong method is not a token error, so it is a problem document.
    if (request.method !== 'POST') {
      return { ...methodNotAllowed('POST', context, NO_STORE), outcome: 'method_not_allowed' };
    }

    const parsed = parseTokenRequest(request);
    if (!parsed.ok) {
      if (parsed.error === 'invalid_client') return invalidClient(parsed.reason);
      return {
        ...oauthError(400, { error: parsed.error, error_description: parsed.description }),
        outcome:
          parsed.error === 'invalid_request' ? `invalid_request:${parsed.reason}` : 'unsupported_grant_type',
      };
    }

    let issuance: TokenIssuance;
    try {
      issuance = await deps.issueAccessToken({
        clientId: parsed.clientId,
        clientSecret: parsed.clientSecret,
        requestedScope: parsed.scope,
      });
    } catch (error) {
      // A store or signing failure. The error holds neither the secret nor a token (the issuer has not signed).
      deps.logger.error({ err: error, requestId: request.requestId }, 'token issuance failed');
      const problem = new ProblemError('internal_error', 'The token could not be issued. Try again later.');
      return { ...problemResponse(problem, context, NO_STORE), outcome: 'error' };
    }

    switch (issuance.outcome) {
      case 'issued': {
        const { token } = issuance;
        return {
          ...jsonResponse(200, 'application/json', JSON.stringify(issuance.response), NO_STORE),
          outcome: 'issued',
          issued: {
            clientId: token.clientId,
            partnerId: token.partnerId,
            appId: token.appId,
            environment: token.environment,
            tokenId: token.tokenId,
            kid: token.kid,
            matchedSecret: issuance.matchedSecret,
            needsRedigest: issuance.needsRedigest,
          },
        };
      }
      case 'invalid_client':
        return invalidClient(issuance.reason);
      case 'invalid_scope': {
        const { status, body } = tokenErrorResponse(issuance);
        return { ...oauthError(status, body), outcome: `invalid_scope:${issuance.reason}` };
      }
    }
  };
}

function oauthError(
  status: number,
  body: { error: string; error_description: string },
  headers: Record<string, string> = NO_STORE,
): EndpointResponse {
  return jsonResponse(status, 'application/json', JSON.stringify(body), headers);
}

function invalidClient(reason: string): TokenEndpointResponse {
  return {
    ...oauthError(INVALID_CLIENT.status, INVALID_CLIENT.body, {
      ...NO_STORE,
      'www-authenticate': BASIC_CHALLENGE,
    }),
    outcome: `invalid_client:${reason}`,
  };
}
