// The idempotency policy's public surface for the gateway app. Usage, for a POST that carries the header:
// `key = parseIdempotencyKey(req.headersDistinct['idempotency-key'])`, then
// `await forwardIdempotently(idempotency, res, { appId, key, fingerprint: requestFingerprint(...), requestId },
// () => proxy.forward(res, ...), renderProblem)`; thrown ProblemErrors (400/409/422/503, or the proxy's before the
// request reached the upstream) are rendered by the app.
export { captureResponse, type ResponseCapture } from './capture-response';
export { requestFingerprint, type FingerprintedRequest } from './fingerprint';
export {
  forwardIdempotently,
  type IdempotentForwardRequest,
  type IdempotentForwardResult,
  type RenderProblem,
} from './forward-idempotently';
export {
  createIdempotency,
  IDEMPOTENCY_DEFAULTS,
  type BeginOutcome,
  type BeginRequest,
  type Idempotency,
  type IdempotencyOptions,
  type SettleOutcome,
} from './idempotency';
export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_MIN_LENGTH,
  parseIdempotencyKey,
} from './idempotency-key';
export {
  IdempotencyStoreFullError,
  memoryIdempotencyStore,
  type ClaimResult,
  type CompletedRecord,
  type IdempotencyRecord,
  type IdempotencyScope,
  type IdempotencyStore,
  type InFlightRecord,
  type MemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from './idempotency-store';
export { redisIdempotencyStore, type RedisIdempotencyStoreOptions } from './redis-idempotency-store';
export { replayableHeaders, type CapturedResponse, type StoredResponse } from './stored-response';
export { IDEMPOTENT_REPLAYED_HEADER, writeReplay } from './write-replay';
