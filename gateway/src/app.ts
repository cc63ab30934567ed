// The gateway's request listener (no listen, no env: gateway-process.ts does that). A raw node:http pipeline, not
// Express: each request picks one named stack (stacks.ts) by path, runs its policies in order, and gets exactly one
// access-log line, its metrics and — once authenticated — its usage event, all after the response is complete.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContext } from './context';
import type { GatewayDeps } from './deps';
import { answerPreflight, createCors } from './policies/cors/cors';
import { asProblem, writeProblem } from './respond';
import { buildStacks, type Stack } from './stacks';

export interface GatewayApp {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Requests still being answered (graceful shutdown waits for 0). */
  inFlight(): number;
  /**
   * Shutdown began: every answer from now on — those in flight included, unless their headers are out — closes its
   * connection (RFC 9112 §9.6), so a keep-alive client opens its next request elsewhere instead of sending it into a
   * closing socket.
   */
  beginDrain(): void;
}

const UNKNOWN = 'unknown';

/** The stacks of the gateway's own endpoints, by the name metrics and logs give them. */
export const OWN_ENDPOINTS = ['oauth-token', 'jwks', 'healthz', 'readyz', 'metrics'] as const;

export function createGatewayApp(deps: GatewayDeps): GatewayApp {
  const stacks = buildStacks(deps);
  const fixed = new Map<string, Stack>([
    ['/oauth/token', stacks.oauthToken],
    ['/.well-known/jwks.json', stacks.jwks],
    ['/healthz', stacks.healthz],
    ['/readyz', stacks.readyz],
    ['/metrics', stacks.metrics],
  ]);
  // CORS comes before everything, for every route: a preflight is answered here (no limiter, no backend).
  const cors = createCors({ allowedOrigins: deps.corsOrigins ?? [] });
  const preflight: Stack = { name: 'preflight', policies: [{ name: 'preflight', run: answerPreflight }] };
  const open = new Set<ServerResponse>();
  let draining = false;
  const problemOptions = { problemBaseUrl: deps.problemBaseUrl };

  async function run(ctx: RequestContext, stack: Stack): Promise<void> {
    try {
      for (const policy of stack.policies) {
        const pending = policy.run(ctx);
        if (pending) await pending;
      }
    } catch (error) {
      const problem = asProblem(error);
      if (problem.status >= 500 && problem.code === 'internal_error') {
        ctx.log.error({ err: error, stack: stack.name }, problem.message);
      }
      writeProblem(ctx, problem, problemOptions);
      if (!ctx.refusal && problem.status < 500) ctx.refusal = problem.message;
    }
  }

  function finished(ctx: RequestContext, stack: Stack): void {
    open.delete(ctx.res);
    const status = ctx.upstreamStatus ?? ctx.res.statusCode;
    const durationMs = performance.now() - ctx.startedAtMs;
    const operation = ctx.operation;
    const caller = ctx.caller;
    deps.metrics.requestFinished({
      api: operation?.api ?? stack.name,
      operationId: operation?.operationId ?? (stack.name === 'api' ? UNKNOWN : stack.name),
      status,
      durationSeconds: durationMs / 1000,
    });
    if (caller && operation) {
      deps.meter.record({
        partnerId: caller.partnerId,
        appId: caller.appId,
        environment: caller.environment,
        credentialId: caller.credentialId,
        api: operation.api,
        operationId: operation.operationId,
        method: ctx.method,
        // The query string may carry personal data; the log keeps the path only.
        path: ctx.pathname,
        status,
        latencyMs: durationMs,
        requestId: ctx.requestId,
      });
      deps.credentialUse.record(caller.scheme, caller.credentialId);
    }
    // One wide line per request (STYLE.md "Logging"); never a header, a body or a credential.
    deps.accessLog.write({
      requestId: ctx.requestId,
      method: ctx.method,
      path: ctx.pathname,
      operation: operation?.operationId,
      status,
      durationMs: Math.round(durationMs * 1000) / 1000,
      upstreamMs: ctx.upstreamMs === undefined ? undefined : Math.round(ctx.upstreamMs * 1000) / 1000,
      partnerId: caller?.partnerId,
      appId: caller?.appId,
      credentialId: caller?.credentialId,
      scheme: caller?.scheme,
      code: ctx.problemCode,
      reason: ctx.refusal,
      replayed: ctx.idempotentReplay || undefined,
      client: ctx.clientAddress,
    });
  }

  const app = function gateway(req: IncomingMessage, res: ServerResponse): void {
    open.add(res);
    const ctx = new RequestContext(req, res, deps.newId('req'), deps.logger, deps.clientAddressOf(req));
    res.setHeader('X-Request-Id', ctx.requestId);
    if (draining) res.setHeader('Connection', 'close');
    void handle(ctx, cors(ctx) ? preflight : (fixed.get(ctx.pathname) ?? stacks.api));
  } as GatewayApp;

  // No closure per request (the hot path): one async function that runs the stack and always finishes.
  async function handle(ctx: RequestContext, stack: Stack): Promise<void> {
    try {
      await run(ctx, stack);
    } catch (error) {
      // run() renders every error itself; this is a bug in the gateway, still answered and counted.
      ctx.log.error({ err: error }, 'unhandled error in the gateway pipeline');
      if (!ctx.res.headersSent) writeProblem(ctx, asProblem(error), problemOptions);
    }
    finished(ctx, stack);
  }
  app.inFlight = () => open.size;
  app.beginDrain = () => {
    draining = true;
    for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  return app;
}
