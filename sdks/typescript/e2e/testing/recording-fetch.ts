// A fetch for the SDK (`createPortico({ fetch })`) that records every attempt a call makes and what answered it, so
// that a test counts the SDK's retries and sees which answer was a replay, with nothing between SDK and gateway.
import type { FetchLike } from '@portico/sdk';

export interface FetchAttempt {
  method: string;
  url: string;
  /** The Idempotency-Key the attempt carried. */
  idempotencyKey: string | undefined;
  /** The answer's status; undefined while none has arrived, or when none did (aborted, connection error). */
  status: number | undefined;
  /** The answer carried `Idempotent-Replayed: true`. */
  replayed: boolean;
}

export interface RecordingFetch {
  fetch: FetchLike;
  /** Every attempt, in the order they were sent. */
  readonly attempts: readonly FetchAttempt[];
}

export interface RecordingFetchOptions {
  /**
   * Runs once an answer's headers arrived, before the SDK sees it (as a slow network would delay it). `signal` is
   * the SDK's: it aborts when the call's budget runs out.
   */
  beforeAnswer?(attempt: FetchAttempt, signal: AbortSignal | undefined): Promise<void>;
}

export function recordingFetch(options: RecordingFetchOptions = {}): RecordingFetch {
  const attempts: FetchAttempt[] = [];
  const fetch: FetchLike = async (input, init) => {
    // The SDK calls fetch(url, init), never with a Request.
    const headers = new Headers(init?.headers);
    const attempt: FetchAttempt = {
      method: init?.method ?? 'GET',
      url: String(input),
      idempotencyKey: headers.get('idempotency-key') ?? undefined,
      status: undefined,
      replayed: false,
    };
    attempts.push(attempt);
    const response = await globalThis.fetch(input, init);
    attempt.status = response.status;
    attempt.replayed = response.headers.get('idempotent-replayed') === 'true';
    await options.beforeAnswer?.(attempt, init?.signal ?? undefined);
    return response;
  };
  return { fetch, attempts };
}
