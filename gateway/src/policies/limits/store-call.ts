// One limiter operation with a deadline, its outcome as data. rate-limiter-flexible signals "over the limit" by
// rejecting with a RateLimiterRes and a broken store by rejecting with an Error; the two must never be confused,
// or a Redis outage would answer 429 to everyone (STACK.md pitfall 5).
import { RateLimiterRes } from 'rate-limiter-flexible';

export type StoreErrorReason =
  /** The client is not connected: refused at once, no round trip attempted. */
  | 'not_ready'
  /** No answer within the deadline: a hung or overloaded Redis must not hold the request. */
  | 'timeout'
  /** Anything else the store threw (connection dropped mid-command, script error …). */
  | 'error';

export type StoreCall<T = RateLimiterRes> =
  /** The operation resolved: a consume within the limit, or any answer to a read. */
  | { kind: 'admitted'; res: T }
  /** Over the limit: the library's RateLimiterRes rejection, never an error. */
  | { kind: 'limited'; res: RateLimiterRes }
  | { kind: 'store_error'; reason: StoreErrorReason; error: Error };

/**
 * Refusals without a round trip: rate-limiter-flexible 11's `rejectIfRedisNotReady`, and ioredis 6 with its
 * offline queue disabled when the socket is already closing but the status not yet updated.
 */
const NOT_READY_MESSAGES = new Set([
  'Redis connection is not ready',
  "Stream isn't writeable and enableOfflineQueue options is false",
]);

/**
 * Runs `operation` and settles within `timeoutMs` (0: no deadline, for the in-memory store, which answers in the
 * same tick). A timed-out command may still reach Redis later; for a quota that means one unit may be spent by a
 * request that was refused with 503, an error on the safe side.
 */
export async function callStore<T = RateLimiterRes>(
  operation: () => Promise<T>,
  timeoutMs: number,
): Promise<StoreCall<T>> {
  // A synchronous throw becomes a rejection like any other, so it is classified too.
  const settled = new Promise<T>((resolve) => resolve(operation())).then(
    (res): StoreCall<T> => ({ kind: 'admitted', res }),
    (error: unknown): StoreCall<T> => classifyRejection(error),
  );
  if (timeoutMs <= 0) return settled;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<StoreCall<T>>((resolve) => {
    timer = setTimeout(
      // One more turn of the event loop first: when the loop lagged, the answer may be waiting in the socket's
      // buffer already, and timers run before I/O callbacks; the race below then takes the answer.
      () =>
        setImmediate(() =>
          resolve({
            kind: 'store_error',
            reason: 'timeout',
            error: new Error(`limiter store did not answer within ${timeoutMs} ms`),
          }),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([settled, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function classifyRejection(error: unknown): Exclude<StoreCall<never>, { kind: 'admitted' }> {
  if (error instanceof RateLimiterRes) return { kind: 'limited', res: error };
  const cause = error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'store_error',
    reason: NOT_READY_MESSAGES.has(cause.message) ? 'not_ready' : 'error',
    error: cause,
  };
}
