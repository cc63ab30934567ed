// The gateway's operational endpoints (DESIGN.md "Metering, logs, operations"): /healthz (the process answers),
// /readyz (it should take traffic), /metrics (Prometheus text), and the glue that mounts the OAuth handlers.
import type { RequestContext } from './context';
import type { GatewayDeps } from './deps';
import type { EndpointRequest, EndpointResponse } from './oauth';
import { writeBody } from './respond';

const NO_STORE = { 'Cache-Control': 'no-store' };

/** Liveness only: no dependency is consulted, so a Redis outage never gets a healthy process restarted. */
export function healthz(ctx: RequestContext): void {
  writeBody(ctx.res, 200, { ...NO_STORE, 'Content-Type': 'application/json' }, '{"status":"ok"}', ctx.method);
}

/** 503 while draining or when a dependency the gateway cannot serve without is down, so a balancer routes around. */
export async function readyz(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const { ready, checks } = await deps.readiness();
  writeBody(
    ctx.res,
    ready ? 200 : 503,
    { ...NO_STORE, 'Content-Type': 'application/json' },
    JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks }),
    ctx.method,
  );
}

export async function metricsEndpoint(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  const { contentType, body } = await deps.metrics.render();
  writeBody(ctx.res, 200, { ...NO_STORE, 'Content-Type': contentType }, body, ctx.method);
}

export async function answerEndpoint(
  ctx: RequestContext,
  endpoint: (request: EndpointRequest) => Promise<EndpointResponse>,
): Promise<void> {
  const answer = await endpoint({
    method: ctx.method,
    headers: ctx.req.headers,
    body: ctx.body ?? Buffer.alloc(0),
    requestId: ctx.requestId,
    url: ctx.url,
  });
  if ('outcome' in answer && typeof answer.outcome === 'string' && answer.status >= 400) {
    ctx.refusal = answer.outcome;
  }
  // The handler set Content-Length itself (for HEAD, the GET body's length with an empty body).
  ctx.res.writeHead(answer.status, answer.headers);
  ctx.res.end(answer.body);
}
