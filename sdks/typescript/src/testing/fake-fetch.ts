// A scripted `fetch` for the SDK's unit tests: it records every request exactly as the SDK sent it and answers
// from a script, honouring the request's AbortSignal the way undici does, so that nothing else needs mocking.
import type { FetchLike } from '../transport';

export interface RecordedRequest {
  method: string;
  url: URL;
  /** A copy: later attempts cannot change what an earlier one sent. */
  headers: Headers;
  body: Uint8Array | undefined;
  /** The body as UTF-8 text, or undefined without one. */
  text: string | undefined;
  signal: AbortSignal | undefined;
  /** What the caller asked fetch to do with a 3xx. */
  redirect: RequestInit['redirect'];
  /** Date.now() when the request was made. */
  atMs: number;
}

/**
 * One answer: a Response, an Error to reject with (a lost connection is `new TypeError('fetch failed')`), HANG
 * for a fetch that only ends when its signal aborts, or a function of the request that returns one of those.
 */
export type Reply =
  | Response
  | Error
  | typeof HANG
  | ((request: RecordedRequest) => Response | Error | typeof HANG | Promise<Response | Error | typeof HANG>);

export const HANG = Symbol('hang');

export interface FakeFetch extends FetchLike {
  readonly requests: RecordedRequest[];
  /** Resolves once `count` requests have been made. */
  waitForRequests(count: number): Promise<void>;
}

/**
 * A queue of replies, one per request in order, or a function that answers each request (e.g. by path). A
 * request past the end of the queue is rejected with an Error naming it, so an unexpected attempt shows.
 */
export function fakeFetch(script: Reply[] | ((request: RecordedRequest, index: number) => Reply)): FakeFetch {
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body === undefined || init.body === null ? undefined : toBytes(init.body);
    const request: RecordedRequest = {
      method: init.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : String(input)),
      headers: new Headers(init.headers),
      body,
      text: body === undefined ? undefined : new TextDecoder().decode(body),
      signal: init.signal ?? undefined,
      redirect: init.redirect,
      atMs: Date.now(),
    };
    const index = requests.length;
    requests.push(request);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const signal = request.signal;
    if (signal?.aborted) throw signal.reason;

    let reply: Reply | undefined = Array.isArray(script) ? script[index] : script(request, index);
    if (reply === undefined) throw new Error(`fakeFetch: no reply scripted for request #${index + 1}`);
    if (typeof reply === 'function') reply = await reply(request);
    if (reply instanceof Error) throw reply;
    if (reply === HANG) {
      return new Promise<Response>((_, reject) => {
        if (!signal) return; // hangs for good: a test that gets here has no other way to end the call
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    return reply;
  };

  return Object.assign(fetchImpl, {
    requests,
    waitForRequests(count: number) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
  });
}

function toBytes(body: NonNullable<RequestInit['body']>): Uint8Array {
  if (body instanceof Uint8Array) return new Uint8Array(body);
  if (typeof body === 'string') return new TextEncoder().encode(body);
  throw new TypeError(`fakeFetch: unexpected body type ${Object.prototype.toString.call(body)}`);
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** An RFC 9457 problem answer as Portico's services send it. */
export function problem(
  status: number,
  code: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  return new Response(
    JSON.stringify({
      type: `https://portico.dev/problems/${code}`,
      title: code,
      status,
      detail: `detail of ${code}`,
      code,
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

/** An answer with no body (e.g. 204, or an error status without a document). */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/** A connection lost before any answer, as undici reports it. */
export function connectionError(code = 'ECONNRESET'): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code }) });
}

/** A page of a cursor-paginated list. */
export function page<T>(data: T[], nextCursor: string | null): Response {
  return json(200, { data, hasMore: nextCursor !== null, nextCursor });
}
