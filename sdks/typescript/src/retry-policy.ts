// When a call is worth another attempt, and how long to wait first: exponential backoff with full jitter, or the
// server's Retry-After (RFC 9110 §10.2.3) when it gives one. Only requests that are safe to repeat are retried.
import type { RetryOptions } from './types';

export const DEFAULT_RETRY: Readonly<RetryOptions> = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 8_000 };

/**
 * Settings with overrides applied; an override left undefined keeps the setting (a plain spread would make
 * `{ maxRetries: undefined }` mean "retry until the time budget runs out").
 */
export function mergeRetryOptions(
  base: RetryOptions,
  overrides: Partial<RetryOptions> | undefined,
): RetryOptions {
  const merged = { ...base };
  for (const name of ['maxRetries', 'baseDelayMs', 'maxDelayMs'] as const) {
    const value = overrides?.[name];
    if (value !== undefined) merged[name] = value;
  }
  return merged;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * RFC 9110 §9.2.2: idempotent methods may be repeated after a lost answer. POST and PATCH only with an
 * Idempotency-Key, which the gateway uses to answer a repeat with the first response instead of acting twice.
 */
export function isRepeatable(method: string, idempotencyKey: string | undefined): boolean {
  return IDEMPOTENT_METHODS.has(method) || idempotencyKey !== undefined;
}

/**
 * 408, 429 and 5xx may succeed later; 501 (not implemented) will not. A 409 with Retry-After is the gateway saying
 * that the first request with this Idempotency-Key is still in flight: the retry gets its answer once it is done.
 */
export function isRetryableStatus(status: number, headers: Headers, keyed: boolean): boolean {
  // A replayed answer is the first request's, kept for the key: asking again gets it again.
  if (headers.has('idempotent-replayed')) return false;
  if (status === 408 || status === 429) return true;
  if (status >= 500 && status <= 599) return status !== 501;
  return status === 409 && keyed && headers.has('retry-after');
}

/** Retry-After as seconds, from delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form starts with a day name; without this check V8's lenient Date.parse reads "1.5" or "-3"
  // as dates in 2001, i.e. "retry at once".
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/**
 * The wait before retry number `retry` (0 for the first retry). With Retry-After, exactly what the server asked,
 * or undefined — give up — when that is longer than `maxDelayMs`: the caller gets the 429/503 with its
 * `retryAfterSeconds` and can schedule the call itself. Otherwise full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): a random wait up to base × 2^retry, capped at maxDelayMs.
 */
export function retryDelayMs(
  retry: number,
  options: RetryOptions,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterSeconds !== undefined) {
    const asked = retryAfterSeconds * 1000;
    return asked > options.maxDelayMs ? undefined : asked;
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}
