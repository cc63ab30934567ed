// @portico/sdk: typed clients for the Portico APIs, generated from their OpenAPI documents, with the gateway's
// authentication schemes, retries with Idempotency-Key, time budgets, problem+json errors and pagination.
export { createPortico, createPlatform, DEFAULT_TIMEOUT_MS } from './portico';
export type {
  Portico,
  PorticoOptions,
  PorticoCredential,
  Platform,
  PlatformOptions,
  ClientOptions,
} from './portico';
export type { ApiClient, OperationMethods } from './api-client';
export { PorticoError, ProblemError, ConnectionError, TimeoutError, OAuthError } from './errors';
export type { Problem, ProblemCode, PorticoErrorKind } from './errors';
export type { OAuthClientCredentials } from './auth/oauth-client-credentials';
export type { RequestSigningOptions } from './auth/request-signing';
export { createRequestSigner, newNonce } from './signing/sign-request';
export type { SigningKey, SignParameters, SignableRequest, RequestSigner } from './signing/sign-request';
export { DEFAULT_RETRY } from './retry-policy';
export type { FetchLike } from './transport';
export type {
  CallError,
  CallOptions,
  Init,
  Result,
  RetryOptions,
  SuccessData,
  RequestBodyOf,
  PageItem,
} from './types';
export { unwrap } from './unwrap';
export { rateLimitOf } from './rate-limit';
export type { RateLimitState } from './rate-limit';
export type * as crm from './generated/crm';
export type * as orders from './generated/orders';
export type * as entitlements from './generated/entitlements';
export type * as platform from './generated/platform';
export { SDK_VERSION } from './version';
