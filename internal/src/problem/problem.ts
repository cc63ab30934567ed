// The one exception type of Portico services and the RFC 9457 problem document it renders to.
// `detail` is public; `internalMessage` goes to the log only, never on the wire.
import { problemCatalog, type ProblemCode } from './catalog';

/** One item of `errors`: what is wrong and where (RFC 6901 pointer into the JSON body, or a parameter/header name). */
export interface ProblemFieldError {
  detail: string;
  pointer?: string;
  parameter?: string;
  header?: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  requestId?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export interface ProblemOptions {
  errors?: ProblemFieldError[];
  /** Extra members for the document (RFC 9457 §3.2 extensions), e.g. `currentStatus`. */
  extensions?: Record<string, unknown>;
  /** Response headers that belong to the problem, e.g. `Allow` on a 405 or `Retry-After` on a 429. */
  headers?: Record<string, string>;
  /** Logged, never sent. */
  internalMessage?: string;
  cause?: unknown;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(
      options.internalMessage ?? detail,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.status = problemCatalog[code].status;
  }
}

/** Shorthand for the most common problem: a missing record, or one that belongs to someone else (answered alike). */
export function notFound(what: string, id: string): ProblemError {
  return new ProblemError('not_found', `No ${what} with id '${id}' exists.`);
}

export function renderProblem(
  error: ProblemError,
  context: { baseUrl: string; requestId?: string; instance?: string },
): ProblemDocument {
  const entry = problemCatalog[error.code];
  const doc: ProblemDocument = {
    type: `${context.baseUrl}${error.code}`,
    title: entry.title,
    status: entry.status,
    detail: error.detail,
    code: error.code,
    ...(error.options.extensions ?? {}),
  };
  if (context.instance !== undefined) doc.instance = context.instance;
  if (context.requestId !== undefined) doc.requestId = context.requestId;
  if (error.options.errors && error.options.errors.length > 0) doc.errors = error.options.errors;
  return doc;
}
