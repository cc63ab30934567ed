// The proxy policy's public surface for the gateway app: build the upstream headers, then forward and stream.
// Usage: `headers = buildUpstreamHeaders(req.headers, {...})`, then `await proxy.forward(res, { upstream, ... })`;
// a thrown ProblemError (502/503/504) means nothing was sent yet and the app renders it.
export { buildResponseHeaders, buildUpstreamHeaders, type UpstreamHeaderContext } from './header-hygiene';
export {
  CIRCUIT_BREAKER_DEFAULTS,
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker';
export { mayRetry, type UpstreamFailureKind } from './upstream-failure';
export {
  createUpstreamProxy,
  PROXY_DEFAULTS,
  upstreamPoolOptions,
  type ForwardRequest,
  type ForwardResult,
  type RetryOptions,
  type UpstreamConfig,
  type UpstreamProxy,
  type UpstreamProxyOptions,
} from './upstream-proxy';
