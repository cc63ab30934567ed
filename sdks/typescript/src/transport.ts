// Sends one call: authenticates each attempt, bounds the whole call by its time budget and the caller's signal,
// retries what is safe to repeat (see retry-policy), and turns every answer into a Result — errors as values.
import { abortable } from './abortable';
import type { Authenticator } from './auth/authenticator';
import { ConnectionError, PorticoError, ProblemError, TimeoutError, type Problem } from './errors';
import {
  isRepeatable,
  isRetryableStatus,
  mergeRetryOptions,
  parseRetryAfter,
  retryDelayMs,
} from './retry-policy';
import type { CallError, Result, RetryOptions } from './types';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  /** The default budget of a call, retries and waits included. */
  timeoutMs: number;
  retry: RetryOptions;
  /** The SDK's own headers, sent with every request (Accept, User-Agent). */
  headers: Record<string, string>;
  /** The integrator's client-wide headers: sent with API calls, and to a token endpoint only on the same origin. */
  clientHeaders?: Record<string, string>;
}

/** setTimeout's limit (2^31 − 1 ms, about 24.8 days): a longer delay fires at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

export interface Call {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** Leave out the client-wide headers (a token endpoint on another origin must not see them). */
  withoutClientHeaders?: boolean;
  /** The bytes to send; the transport sends exactly these (a signature covers their digest). */
  body?: Uint8Array;
  contentType?: string;
  /** Sent as Idempotency-Key on every attempt; makes a POST or PATCH repeatable. */
  idempotencyKey?: string;
  /** Repeat after a lost answer even though the method is not idempotent (e.g. asking for a token). */
  repeatable?: boolean;
  authenticator?: Authenticator;
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: Partial<RetryOptions> | false;
}

export interface Transport {
  send(call: Call): Promise<Result<unknown>>;
  readonly options: TransportOptions;
}

export function createTransport(options: TransportOptions): Transport {
  checkTimeout(options.timeoutMs, 'timeoutMs');
  return { options, send: (call) => send(options, call) };
}

export function checkTimeout(timeoutMs: number, name: string): void {
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new TypeError(`${name} must be > 0 and at most ${MAX_TIMEOUT_MS} ms`);
  }
}

async function send(options: TransportOptions, call: Call): Promise<Result<unknown>> {
  const timeoutMs = call.timeoutMs ?? options.timeoutMs;
  if (call.timeoutMs !== undefined) checkTimeout(call.timeoutMs, 'timeoutMs');
  // One controller per call, its timer cleared and the caller's signal unlinked when the call ends: nothing of
  // a finished call stays alive for the rest of its budget (AbortSignal.timeout/any would keep both).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`the call's budget of ${timeoutMs} ms ran out`));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(call.signal!.reason);
  if (call.signal?.aborted) onCallerAbort();
  else call.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await attempt(options, call, { signal: controller.signal, timeoutMs, timedOut: () => timedOut });
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onCallerAbort);
  }
}

async function attempt(
  options: TransportOptions,
  call: Call,
  budget: { signal: AbortSignal; timeoutMs: number; timedOut: () => boolean },
): Promise<Result<unknown>> {
  const { signal, timeoutMs } = budget;
  const retry: RetryOptions =
    call.retry === false ? { ...options.retry, maxRetries: 0 } : mergeRetryOptions(options.retry, call.retry);
  const started = Date.now();
  const repeatable = call.repeatable ?? isRepeatable(call.method, call.idempotencyKey);
  const key = call.idempotencyKey;
  const withKey = <E extends PorticoError>(error: E): E =>
    key === undefined ? error : error.withIdempotencyKey(key);

  let attempts = 0;
  let retries = 0;
  let refreshed = false;
  let lastResponse: Response | undefined;
  for (;;) {
    attempts += 1;
    let outcome: {
      result: Result<unknown>;
      retryAfterSeconds?: number;
      retryable: boolean;
      /** After a 401: the headers of the attempt it refused. */
      refresh?: Headers;
    };
    let fetching = false;
    try {
      const headers = new Headers(options.headers);
      if (!call.withoutClientHeaders) {
        for (const [name, value] of Object.entries(options.clientHeaders ?? {})) headers.set(name, value);
      }
      for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);
      if (call.body !== undefined && call.contentType) headers.set('content-type', call.contentType);
      if (key !== undefined) headers.set('idempotency-key', key);
      signal.throwIfAborted();
      await call.authenticator?.authenticate({
        method: call.method,
        url: call.url,
        headers,
        body: call.body,
        signal,
      });
      fetching = true;
      // Raced against the signal too: an injected fetch that ignores its signal must not outlive the budget.
      const response = await abortable(
        options.fetch(call.url, {
          method: call.method,
          headers,
          body: call.body as RequestInit['body'],
          signal,
          redirect: 'manual',
        }),
        signal,
      );
      lastResponse = response;
      const text = await abortable(response.text(), signal);
      const data = parseBody(response, text);
      call.authenticator?.observe?.(response, data);
      if (response.ok) return { data, response };
      const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const error = new ProblemError({
        status: response.status,
        problem: isProblem(response, data) ? data : undefined,
        body: text,
        requestId: response.headers.get('x-request-id') ?? undefined,
        retryAfterSeconds,
        attempts,
      });
      outcome = {
        result: { error: withKey(error), response },
        retryAfterSeconds,
        retryable:
          repeatable &&
          isRetryableStatus(response.status, response.headers, call.idempotencyKey !== undefined),
        ...(response.status === 401 ? { refresh: headers } : {}),
      };
    } catch (caught) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (budget.timedOut()) {
        return { error: withKey(new TimeoutError({ timeoutMs, attempts })), response: lastResponse };
      }
      if (caught instanceof PorticoError) return { error: caught as CallError, response: undefined };
      // Before fetch, only a usage error can fail (a header value that is not valid, a request the signer cannot
      // sign): nothing was sent, a retry would fail the same way, and it is no "could not be reached".
      if (!fetching) throw caught;
      outcome = {
        result: { error: withKey(new ConnectionError({ cause: caught, attempts })), response: undefined },
        // A connection that failed before the request was sent is always safe to repeat, but fetch does not say
        // which happened; treat every network error as "the server may have acted".
        retryable: repeatable,
      };
    }

    if (outcome.refresh && !refreshed && call.authenticator?.refresh?.({ headers: outcome.refresh })) {
      refreshed = true;
      continue;
    }
    if (!outcome.retryable || retries >= retry.maxRetries) return outcome.result;
    const delay = retryDelayMs(retries, retry, outcome.retryAfterSeconds);
    // Waiting past the budget would only turn a useful answer into a timeout.
    if (delay === undefined || Date.now() - started + delay >= timeoutMs) return outcome.result;
    retries += 1;
    try {
      await sleep(delay, signal);
    } catch {
      if (call.signal?.aborted) throw call.signal.reason;
      return { error: withKey(new TimeoutError({ timeoutMs, attempts })), response: lastResponse };
    }
  }
}

function parseBody(response: Response, text: string): unknown {
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isProblem(response: Response, data: unknown): data is Problem {
  return (
    /^application\/problem\+json\b/i.test(response.headers.get('content-type') ?? '') &&
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { status?: unknown }).status === 'number'
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
