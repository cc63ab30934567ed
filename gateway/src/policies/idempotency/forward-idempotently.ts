// The policy around one forward, in the order the gateway needs it: claim the key (or replay, or refuse), capture
// what the upstream streams back, then store it — or release the key when the upstream's answer was not had.
import type { ServerResponse } from 'node:http';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { mayHaveReachedUpstream } from '../proxy/upstream-failure';
import { captureResponse } from './capture-response';
import type { BeginRequest, Idempotency, SettleOutcome } from './idempotency';
import type { StoredResponse } from './stored-response';
import { writeReplay } from './write-replay';

/** Statuses that refuse for the moment only; the key is released so that the retry they invite can proceed. */
const NOT_NOW = new Set([429, 503]);

export interface IdempotentForwardRequest extends BeginRequest {
  /** This request's id: a replay carries it, not the first request's. */
  requestId: string;
}

export type IdempotentForwardResult<T> =
  | { kind: 'replayed'; status: number }
  | { kind: 'forwarded'; result: T; settled: SettleOutcome }
  /** The upstream had the request but its answer was not had (504, broken connection): the gateway's is kept. */
  | { kind: 'outcome_unknown'; problem: ProblemError; settled: SettleOutcome };

/** The gateway's problem document as a complete response (status, headers, body), as the app would write it. */
export type RenderProblem = (problem: ProblemError) => StoredResponse;

/**
 * Runs `forward` (the proxy writing into `res`) under the request's Idempotency-Key. Throws the ProblemError of
 * begin() (409, 422, 503) before forwarding.
 *
 * At most once: once the upstream may have acted, the key is never freed. A failure before the request reached
 * the upstream (nothing to connect to, the circuit open) frees the key and is rethrown for the app to render, so
 * the caller's retry is forwarded. After it reached the upstream, the gateway's own 502/504 — written here with
 * `renderProblem` — is the answer kept and replayed for the key; so is a 502 for an answer that broke off after it
 * had begun. The caller checks the outcome and uses a new key, rather than a retry acting twice. (A caller who
 * leaves mid-request does not cut the forward: the proxy reads the answer to its end for the key.)
 */
export async function forwardIdempotently<T>(
  idempotency: Idempotency,
  res: ServerResponse,
  request: IdempotentForwardRequest,
  forward: () => Promise<T>,
  renderProblem: RenderProblem,
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
    if (mayHaveReachedUpstream(error) && !res.headersSent) {
      const problem = error as ProblemError;
      const answer = renderProblem(problem);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return { kind: 'outcome_unknown', problem, settled: await begun.complete(capture.finish()) };
    }
    capture.finish();
    await begun.release();
    throw error;
  }
  // Only an answer the upstream produced in full is stored; a cut stream or an oversize body releases the key. So
  // does a 429 or 503: they say "not now" (RFC 9110 §15.6.4, RFC 6585 §4), and replaying them for 24 h would turn
  // a passing refusal into a permanent one. Other answers, a backend's 500 included, are kept (Stripe's rule).
  const captured = capture.finish();
  if (captured === undefined && capture.brokeOff()) {
    // The caller saw the cut; a retry gets this instead of a second act (the answer had begun: the upstream acted).
    const brokeOff = new ProblemError(
      'bad_gateway',
      `The upstream's answer to the first request with this Idempotency-Key (status ${res.statusCode}) broke off ` +
        'before it was complete: the request may have taken effect. Check before repeating it with a new key.',
    );
    return { kind: 'forwarded', result, settled: await begun.complete(renderProblem(brokeOff)) };
  }
  const settled =
    captured && NOT_NOW.has(captured.status) ? await begun.release() : await begun.complete(captured);
  return { kind: 'forwarded', result, settled };
}
