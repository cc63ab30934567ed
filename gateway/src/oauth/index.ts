// The public API of the gateway's OAuth endpoints. app.ts mounts createTokenEndpoint at TOKEN_PATH and
// createJwksEndpoint at JWKS_PATH, both built from one createOAuthService (keys/src/oauth) at start-up.
export {
  JWKS_PATH,
  TOKEN_PATH,
  DEFAULT_PROBLEM_BASE_URL,
  type EndpointRequest,
  type EndpointResponse,
} from './endpoint';
export {
  createTokenEndpoint,
  type TokenEndpoint,
  type TokenEndpointDeps,
  type TokenEndpointResponse,
} from './token-endpoint';
export {
  createJwksEndpoint,
  DEFAULT_JWKS_MAX_AGE_SECONDS,
  type JwksEndpoint,
  type JwksEndpointDeps,
} from './jwks-endpoint';
export { parseTokenRequest, basicCredentials, type ParsedTokenRequest } from './token-request';
