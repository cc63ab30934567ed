// The policy around one forward, in the order the gateway needs it: claim the key (or replay, or refuse), capture
// what the upstream streams back, then store it — or release the key when the upstream's answer was not had.
import type { ServerResponse } from 'node:http';
import { captureResponse } from './capture-response';
import type { BeginRequest, Idempotency, SettleOutcome } from './idempotency';
import { writeReplay } from './write-replay';

/** Statuses that refuse for the moment only; the key is released so that the retry they invite can proceed. */
const NOT_NOW = new Set([429, 503]);

export interface IdempotentForwardRequest extends BeginRequest {
  /** This request's id: a replay carries it, not the first request's. */
  requestId: string;
}

export type IdempotentForwardResult<T> =
  { kind: 'replayed'; status: number } | { kind: 'forwarded'; result: T; settled: SettleOutcome };

/**
 * Runs `forward` (the proxy writing into `res`) under the request's Idempotency-Key. Throws the ProblemError of
 * begin() (409, 422, 503) before forwarding; a ProblemError thrown by `forward` (the gateway's own 502/503/504:
 * nothing was sent) releases the key and is rethrown for the app to render, so the caller may retry.
 *
 * Caveat: after a 504, or when the caller left mid-answer, the upstream may have acted and the key is released all
 * the same: there is no answer to replay, and holding the key would only turn the retry into a 409. The backends'
 * own duplicate checks are the guard there; the gateway forwards the key to them (header-hygiene.ts keeps it).
 */
export async function forwardIdempotently<T>(
  idempotency: Idempotency,
  res: ServerResponse,
  request: IdempotentForwardRequest,
  forward: () => Promise<T>,
): Promise<IdempotentForwardResult<T>> {
  const begun = await idempotency.begin(request);
  if (begun.kind === 'replay') {
    writeReplay(res, begun.response, request.requestId);
    return { kind: 'replayed', status: begun.response.status };
  }
  const capture = captureResponse(res, idempotency.maxStoredBodyBytes);
  let result: T;
  try {
    result = await forward();
  } catch (error) {
    capture.finish();
    await begun.release();
    throw error;
  }
  // Only an answer the upstream produced in full is stored; a cut stream or an oversize body releases the key. So
  // does a 429 or 503: they say "not now" (RFC 9110 §15.6.4, RFC 6585 §4), and replaying them for 24 h would turn
  // a passing refusal into a permanent one. Other answers, a backend's 500 included, are kept (Stripe's rule).
  const captured = capture.finish();
  const settled =
    captured && NOT_NOW.has(captured.status) ? await begun.release() : await begun.complete(captured);
  return { kind: 'forwarded', result, settled };
}
