// Type-level helpers that turn openapi-typescript's `paths` and `operations` into call signatures: which paths
// accept a method, what parameters and body an operation takes, and what it answers. Types only, no runtime.
import type { ConnectionError, OAuthError, PorticoError, ProblemError, TimeoutError } from './errors';

/** A type with no members (`{}`): what `{} extends T` asks is whether every member of T is optional. */
type EmptyObject = Record<never, never>;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The paths of `Paths` on which `M` is defined (openapi-typescript marks the others `?: never`). */
export type PathsWith<Paths, M extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof Paths];

export type OperationAt<Paths, P extends keyof Paths, M extends HttpMethod> = Paths[P] extends {
  [K in M]: infer Op;
}
  ? Op
  : never;

type ParametersOf<Op> = Op extends { parameters: infer P } ? P : EmptyObject;
/** Keys whose type is not only `never`/`undefined`: openapi-typescript writes `path?: never` when there is none. */
type DefinedKeys<T> = {
  [K in keyof T]-?: [Exclude<T[K], undefined>] extends [never] ? never : K;
}[keyof T];
type RequestParameters<Op> = Pick<
  ParametersOf<Op>,
  DefinedKeys<ParametersOf<Op>> & ('path' | 'query' | 'header')
>;

type ParamsInit<Op> = [keyof RequestParameters<Op>] extends [never]
  ? { params?: never }
  : EmptyObject extends RequestParameters<Op>
    ? { params?: RequestParameters<Op> }
    : { params: RequestParameters<Op> };

export type RequestBodyOf<Op> = Op extends { requestBody?: infer Body }
  ? Body extends { content: { 'application/json': infer Json } }
    ? Json
    : never
  : never;

type BodyInit<Op> = [RequestBodyOf<Op>] extends [never]
  ? { body?: never }
  : EmptyObject extends Pick<Op, 'requestBody' & keyof Op>
    ? { body?: RequestBodyOf<Op> }
    : { body: RequestBodyOf<Op> };

/** Retry settings; every field has a default (see README). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2; 0 turns retries off. */
  maxRetries: number;
  /** The first backoff ceiling; each retry doubles it (full jitter). Default 250 ms. */
  baseDelayMs: number;
  /** The largest wait between attempts, Retry-After included. Default 8 s. */
  maxDelayMs: number;
}

/** Per-call options, beside the operation's parameters and body. */
export interface CallOptions {
  /** Cancels the call, its retries and its waits; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The whole call's budget, retries and waits included (default: the client's, 30 s). */
  timeoutMs?: number;
  /** Overrides the client's retry settings for this call; `false` makes exactly one attempt. */
  retry?: Partial<RetryOptions> | false;
  /**
   * The Idempotency-Key of an operation that takes one. By default the SDK makes one per call and sends the same
   * one on every retry; pass your own to retry a call across processes (e.g. from a job queue).
   */
  idempotencyKey?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** Whether the operation declares the Idempotency-Key header (the runtime refuses a key for any other). */
type TakesIdempotencyKey<Op> =
  ParametersOf<Op> extends { header?: infer Header }
    ? [Exclude<Header, undefined>] extends [never]
      ? false
      : 'Idempotency-Key' extends keyof Exclude<Header, undefined>
        ? true
        : false
    : false;

type OptionsInit<Op> =
  TakesIdempotencyKey<Op> extends true
    ? CallOptions
    : Omit<CallOptions, 'idempotencyKey'> & { idempotencyKey?: never };

export type Init<Op> = ParamsInit<Op> & BodyInit<Op> & OptionsInit<Op>;
/** The init argument is optional when nothing in it is required. */
export type InitArgs<Op> = EmptyObject extends Init<Op> ? [init?: Init<Op>] : [init: Init<Op>];

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;
type ResponsesOf<Op> = Op extends { responses: infer R } ? R : never;
type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
/** The body of the operation's 2xx answers (undefined for 204). */
export type SuccessData<Op> = JsonContent<ResponsesOf<Op>[SuccessStatus & keyof ResponsesOf<Op>]>;

/** Every error a call ends with: `error.kind` tells them apart and narrows to the class. */
export type CallError = ProblemError | ConnectionError | TimeoutError | OAuthError;

/**
 * A call's outcome: the data, or the error as a value (never both). `error.kind` narrows the error to its class:
 * `'problem'` → ProblemError (status, code, problem), `'connection'`, `'timeout'`, `'oauth'`.
 */
export type Result<Data, Err extends PorticoError = CallError> =
  | { data: Data; error?: undefined; response: Response }
  | { data?: undefined; error: Err; response: Response | undefined };

/** The item type of a cursor-paginated list (`{ data: Item[], hasMore, nextCursor }`). */
export type PageItem<Op> =
  SuccessData<Op> extends { data: Array<infer Item>; nextCursor: unknown } ? Item : never;

/** Paths whose GET is a cursor-paginated list. */
export type PaginatedPaths<Paths> = {
  [P in PathsWith<Paths, 'get'>]: [PageItem<OperationAt<Paths, P, 'get'>>] extends [never] ? never : P;
}[PathsWith<Paths, 'get'>];

/** Operation ids of a generated `operations` interface whose answer is a cursor-paginated list. */
export type PaginatedOperations<Ops> = {
  [K in keyof Ops]: [PageItem<Ops[K]>] extends [never] ? never : K;
}[keyof Ops];
