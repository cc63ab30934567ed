// The last step of the api stack: forward to the operation's backend and stream the answer back, through the
// Idempotency-Key policy for the operations whose spec declares the header (DESIGN.md: the first answer is kept per app for 24 h
// and replayed; the same key with another payload → 422; while the first is in flight → 409).
import type { RequestContext } from './context';
import type { GatewayDeps } from './deps';
import { renderProblem } from '../../internal/src/problem/problem';
import {
  forwardIdempotently,
  parseIdempotencyKey,
  requestFingerprint,
  type RenderProblem,
} from './policies/idempotency';
import { applyHeaders } from './respond';

export async function idempotentForward(
  ctx: RequestContext,
  deps: GatewayDeps,
  headers: Record<string, string>,
): Promise<void> {
  const operation = ctx.operation!;
  const res = ctx.res;
  // Every operation whose spec declares the header (all POSTs that create or change something, DESIGN.md).
  const withKey = operation.takesIdempotencyKey;
  // Validated before anything is claimed: a malformed or repeated key is the caller's 400, never a lock.
  const key = withKey ? parseIdempotencyKey(ctx.req.headersDistinct['idempotency-key']) : undefined;
  applyHeaders(res, ctx.responseHeaders);
  const forward = async () => {
    const result = await deps.proxy.forward(res, {
      upstream: operation.api,
      // RFC 9110 §9.3.2: HEAD is GET without the body; backends serve the spec's GET, Node drops the body for HEAD.
      method: ctx.method === 'HEAD' ? 'GET' : ctx.method,
      path: ctx.url,
      headers,
      ...(ctx.body && ctx.body.length > 0 ? { body: ctx.body } : {}),
      ...(key !== undefined ? { idempotencyKey: key } : {}),
      log: ctx,
    });
    ctx.upstreamStatus = result.status;
    ctx.upstreamMs = result.upstreamMs;
  };
  if (key === undefined) {
    await forward();
    return;
  }
  const outcome = await forwardIdempotently(
    deps.idempotency,
    res,
    {
      appId: ctx.caller!.appId,
      key,
      fingerprint: requestFingerprint({ method: ctx.method, target: ctx.url, body: ctx.body }),
      requestId: ctx.requestId,
    },
    forward,
    problemResponse(ctx, deps.problemBaseUrl),
  );
  if (outcome.kind === 'replayed') {
    ctx.idempotentReplay = true;
    ctx.upstreamStatus = outcome.status;
    return;
  }
  if (outcome.kind === 'outcome_unknown') ctx.problemCode = outcome.problem.code;
  if (outcome.settled.kind === 'store_error' || outcome.settled.kind === 'claim_lost') {
    const settled = outcome.settled;
    ctx.log.warn(
      { settled: settled.kind, ...(settled.kind === 'store_error' ? { err: settled.error } : {}) },
      'the idempotent response could not be kept',
    );
  }
}

/** The gateway's problem document for this request as a complete response (what writeProblem would send). */
function problemResponse(ctx: RequestContext, problemBaseUrl: string): RenderProblem {
  return (problem) => {
    const document = renderProblem(problem, {
      baseUrl: problemBaseUrl,
      requestId: ctx.requestId,
      instance: ctx.pathname,
    });
    return {
      status: problem.status,
      headers: {
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
        ...problem.options.headers,
      },
      body: Buffer.from(JSON.stringify(document)),
    };
  };
}
