// What went wrong before an upstream answered, what the caller is told (DESIGN.md: unreachable → 502, timeout →
// 504, circuit open → 503 + Retry-After), and which requests may be sent again after a failure.
import { ProblemError } from '../../../../internal/src/problem/problem';

/**
 * - `connect`: no connection could be made, so the request was never written: safe to retry where the method allows.
 * - `broken`: the connection failed, or the answer was not HTTP, after the request was written: the upstream may
 *   have acted on it, so it is never retried.
 * - `timeout`: no response headers within the upstream's `timeoutMs` (connecting and queueing included).
 * - `other`: the gateway's own fault (an invalid request object, a closed pool): not the upstream's.
 */
export type UpstreamFailureKind = 'connect' | 'broken' | 'timeout' | 'other';

/** Raised by the proxy's own deadline; undici's timers are accurate to ~0.5 s only (lib/util/timers.js). */
export class UpstreamTimeoutError extends Error {
  override name = 'UpstreamTimeoutError';
  readonly code = 'PORTICO_UPSTREAM_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`no response headers within ${timeoutMs} ms`);
  }
}

/** Socket-level errors (Node system errors and undici's SocketError) that mean the connection itself failed. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
]);

const TIMEOUT_ERROR_CODES = new Set([
  'PORTICO_UPSTREAM_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'ETIMEDOUT',
]);

/** `written`: undici had started writing the request to a socket (its onRequestStart had run). */
export function classifyUpstreamError(error: unknown, written: boolean): UpstreamFailureKind {
  const code = errorCode(error);
  if (code !== undefined && TIMEOUT_ERROR_CODES.has(code)) return 'timeout';
  if (code !== undefined && CONNECTION_ERROR_CODES.has(code)) return written ? 'broken' : 'connect';
  // llhttp's parse errors (HPE_*): the upstream answered something that is not HTTP/1.1.
  if (code?.startsWith('HPE_')) return 'broken';
  return 'other';
}

/** Transport failures count towards opening the circuit; `other` is the gateway's own problem. */
export function countsAsCircuitFailure(kind: UpstreamFailureKind): boolean {
  return kind !== 'other';
}

/** RFC 9110 §9.2.2: idempotent methods may be sent again; TRACE is never proxied, CONNECT never retried. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Whether a request may be sent twice: an idempotent method, or a POST/PATCH carrying an Idempotency-Key
 * (draft-ietf-httpapi-idempotency-key-header), which the backend or the gateway's idempotency policy deduplicates.
 */
export function mayRetry(method: string, idempotencyKey: string | undefined): boolean {
  const upper = method.toUpperCase();
  if (IDEMPOTENT_METHODS.has(upper)) return true;
  return (upper === 'POST' || upper === 'PATCH') && idempotencyKey !== undefined && idempotencyKey !== '';
}

/** The gateway's failures that came after the request had reached the upstream (see mayHaveReachedUpstream). */
const REACHED_UPSTREAM = new WeakSet<ProblemError>();

/**
 * Whether this error is the gateway's 502/504 for a request the upstream had received: it may have acted on it.
 * The Idempotency-Key policy keeps such an answer for the key instead of freeing it (forward.ts).
 */
export function mayHaveReachedUpstream(error: unknown): boolean {
  return error instanceof ProblemError && REACHED_UPSTREAM.has(error);
}

/**
 * The gateway's own problem for a failure before any byte of the response was sent. `written`: the request had
 * reached a socket to the upstream, so a timeout or a broken connection leaves its outcome unknown.
 */
export function upstreamProblem(
  kind: UpstreamFailureKind,
  details: { upstream: string; origin: string; timeoutMs: number; error: unknown; written: boolean },
): ProblemError {
  const internal = `upstream ${details.upstream} (${details.origin}): ${kind}: ${describe(details.error)}`;
  const reached = kind === 'broken' || (kind === 'timeout' && details.written);
  const unknown = reached
    ? ' The request had reached it and may have taken effect: check before repeating it.'
    : '';
  const problem =
    kind === 'timeout'
      ? new ProblemError(
          'gateway_timeout',
          `The upstream service did not answer within ${details.timeoutMs} ms.${unknown}`,
          { internalMessage: internal, cause: details.error },
        )
      : new ProblemError(
          'bad_gateway',
          reached
            ? `The connection to the upstream service broke before it answered.${unknown}`
            : 'The upstream service could not be reached.',
          { internalMessage: internal, cause: details.error },
        );
  if (reached) REACHED_UPSTREAM.add(problem);
  return problem;
}

/** DESIGN.md: circuit open → 503 with Retry-After (RFC 9110 §10.2.3, delay-seconds). */
export function circuitOpenProblem(upstream: string, retryAfterSeconds: number): ProblemError {
  return new ProblemError(
    'service_unavailable',
    `The upstream service is temporarily unavailable; retry after ${retryAfterSeconds} s.`,
    {
      headers: { 'Retry-After': String(retryAfterSeconds) },
      internalMessage: `upstream ${upstream}: circuit open`,
    },
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = errorCode(error);
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
