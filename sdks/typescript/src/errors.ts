// The errors a call can end with, returned as values (`{ error }`) and also throwable (`unwrap`, iterators). Each
// carries what a support ticket needs: the status, the RFC 9457 problem document and the request id.
import type { components } from './generated/crm';

/** An RFC 9457 problem document as every Portico API sends it (specs/common/schemas.yaml#/Problem). */
export type Problem = components['schemas']['Problem'];
export type ProblemCode = Problem['code'];

export type PorticoErrorKind = 'problem' | 'connection' | 'timeout' | 'oauth';

export abstract class PorticoError extends Error {
  abstract readonly kind: PorticoErrorKind;
  /** The request id of the last attempt (X-Request-Id), when an answer arrived: quote it to support. */
  readonly requestId: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;
  /**
   * The Idempotency-Key every attempt carried, for the operations that take one: to try the same call again
   * later (`idempotencyKey` in its options) without risking a second act.
   */
  idempotencyKey: string | undefined;

  protected constructor(message: string, details: { requestId?: string; attempts: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.requestId = details.requestId;
    this.attempts = details.attempts;
    this.idempotencyKey = undefined;
  }

  /** @internal Records the call's Idempotency-Key (the transport does, for keyed calls). */
  withIdempotencyKey(key: string): this {
    this.idempotencyKey = key;
    return this;
  }
}

/** The API answered with an error status (4xx or 5xx). */
export class ProblemError extends PorticoError {
  readonly kind = 'problem';
  readonly status: number;
  /** The problem document; undefined when the answer was not application/problem+json (e.g. a proxy's HTML page). */
  readonly problem: Problem | undefined;
  /** The problem's stable `code`, for programs. */
  readonly code: ProblemCode | undefined;
  /** Seconds the server asked to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** The response body as text when it was not a problem document. */
  readonly body: string | undefined;

  constructor(details: {
    status: number;
    problem: Problem | undefined;
    body?: string;
    requestId?: string;
    retryAfterSeconds?: number;
    attempts: number;
  }) {
    const { status, problem } = details;
    super(
      problem
        ? `${status} ${problem.code}: ${problem.detail}`
        : `${status}: the API answered without a problem document`,
      { requestId: problem?.requestId ?? details.requestId, attempts: details.attempts },
    );
    this.status = status;
    this.problem = problem;
    this.code = problem?.code;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.body = problem ? undefined : details.body;
  }
}

/** No answer arrived: the connection was refused, reset or dropped (`cause` holds the network error). */
export class ConnectionError extends PorticoError {
  readonly kind = 'connection';
  constructor(details: { cause: unknown; attempts: number }) {
    const reason = details.cause instanceof Error ? causeMessage(details.cause) : String(details.cause);
    super(`The API could not be reached: ${reason}`, details);
  }
}

/** The call's time budget (`timeoutMs`, retries included) ran out. */
export class TimeoutError extends PorticoError {
  readonly kind = 'timeout';
  readonly timeoutMs: number;
  constructor(details: { timeoutMs: number; attempts: number; requestId?: string }) {
    super(`The call did not complete within ${details.timeoutMs} ms`, details);
    this.timeoutMs = details.timeoutMs;
  }
}

/** The OAuth token endpoint refused the client's credentials or scopes (RFC 6749 §5.2). */
export class OAuthError extends PorticoError {
  readonly kind = 'oauth';
  readonly status: number;
  /** The RFC 6749 error code: invalid_client, invalid_scope, invalid_request, … */
  readonly error: string;
  readonly description: string | undefined;
  constructor(details: {
    status: number;
    error: string;
    description?: string;
    requestId?: string;
    attempts: number;
  }) {
    super(
      `The token endpoint refused the client (${details.status} ${details.error})${
        details.description ? `: ${details.description}` : ''
      }`,
      details,
    );
    this.status = details.status;
    this.error = details.error;
    this.description = details.description;
  }
}

function causeMessage(error: Error): string {
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, "other side closed") in `cause`.
  const inner = (error as { cause?: unknown }).cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${inner.message})`;
  }
  return error.message;
}
