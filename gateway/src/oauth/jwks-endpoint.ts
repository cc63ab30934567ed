// GET /.well-known/jwks.json: the issuer's public keys (RFC 7517 §5), so that anyone can verify our access tokens
// offline. The set comes from memory (keys/src/oauth PublishedKeySet: reloaded on rotation and every 300 s), so a
// request costs no store read; it is public and cacheable for a short, bounded time.
import type { Logger } from '../../../internal/src/logger';
import { ProblemError } from '../../../internal/src/problem/problem';
import {
  DEFAULT_PROBLEM_BASE_URL,
  JWKS_PATH,
  jsonResponse,
  methodNotAllowed,
  problemResponse,
  type EndpointRequest,
  type EndpointResponse,
} from './endpoint';

export interface JwksEndpointDeps {
  /** createOAuthService(…).currentJwks. */
  currentJwks: () => Promise<{ keys: unknown[] }>;
  /**
   * How long others may cache the set (default 300 s). A rotation (issuer-key-lifecycle.ts) publishes the new key
   * the moment it starts signing, with no pre-publication, so a verifier holding an older copy refuses new tokens
   * until it refetches (on an unknown kid, as jose's createRemoteJWKSet does, or when max-age runs out), and after an
   * emergency rotation caches trust the dropped key for up to max-age. Hence it must stay well below the retiring
   * key's overlap (oauth-settings.ts retiringPublishSeconds = maxTokenLifetimeSeconds + clockLeewaySeconds, 3630 s
   * by default): that overlap is how long a rotation is meant to be invisible to verifiers, and a cache life near it
   * would make most of it visible. 300 s equals keySetMaxAgeSeconds: outside verifiers are no staler than ours.
   */
  maxAgeSeconds?: number;
  /** Told when the keys cannot be loaded (only possible before any load succeeded). */
  logger?: Logger;
  /** The configured PORTICO_PROBLEM_BASE_URL, for the `type` of the 405 and 503 problem documents. */
  problemBaseUrl?: string;
}

export type JwksEndpoint = (request: EndpointRequest) => Promise<EndpointResponse>;

export const DEFAULT_JWKS_MAX_AGE_SECONDS = 300;

/**
 * RFC 7517 §8.5 registers application/jwk-set+json, but the well-known JWKS endpoints of the major issuers answer
 * application/json and some client libraries refuse anything else; a JWK Set is a JSON object, so this is honest.
 */
const JWKS_CONTENT_TYPE = 'application/json';

export function createJwksEndpoint(deps: JwksEndpointDeps): JwksEndpoint {
  const maxAgeSeconds = deps.maxAgeSeconds ?? DEFAULT_JWKS_MAX_AGE_SECONDS;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new Error('jwks: maxAgeSeconds must be a non-negative integer');
  }
  const problemBaseUrl = deps.problemBaseUrl ?? DEFAULT_PROBLEM_BASE_URL;
  const cacheable = Object.freeze({ 'cache-control': `public, max-age=${maxAgeSeconds}` });

  return async function jwksEndpoint(request) {
    const context = { problemBaseUrl, requestId: request.requestId, instance: JWKS_PATH };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return methodNotAllowed('GET, HEAD', context, { 'cache-control': 'no-store' });
    }
    let jwks: { keys: unknown[] };
    try {
      jwks = await deps.currentJwks();
    } catch (error) {
      deps.logger?.error({ err: error, requestId: request.requestId }, 'issuer keys could not be loaded');
      // Not cached anywhere: an empty or failed set kept by a CDN would break every verifier behind it.
      const problem = new ProblemError('service_unavailable', 'The issuer keys are unavailable. Try again.', {
        headers: { 'retry-after': '5' },
      });
      return problemResponse(problem, context, { 'cache-control': 'no-store' });
    }
    const response = jsonResponse(200, JWKS_CONTENT_TYPE, JSON.stringify(jwks), cacheable);
    // RFC 9110 §9.3.2: HEAD answers the GET's headers, Content-Length included, without the content.
    return request.method === 'HEAD' ? { ...response, body: '' } : response;
  };
}
