// The gateway's named, ordered policy stacks, declared in one place (as Unkey's routes/register.go does): which
// policies a request goes through, in which order, is read here and nowhere else. A policy either returns (next
// one runs), answers the request itself (the last of a stack), or throws a ProblemError (the app renders it).
import { IDENTITY_ASSERTION_HEADER } from '../../internal/src/identity/identity-assertion';
import { ProblemError } from '../../internal/src/problem/problem';
import type { RequestContext } from './context';
import type { GatewayDeps } from './deps';
import { unauthenticated } from './policies/authenticate/authenticate';
import { assertScopes } from './policies/authenticate/scopes';
import { readBody, tooLarge } from './policies/body/read-body';
import { idempotentForward } from './forward';
import { buildUpstreamHeaders } from './policies/proxy';
import { validateRequest } from './policies/validate/validate-request';
import { answerEndpoint, healthz, metricsEndpoint, readyz } from './operations';

export type Policy = (ctx: RequestContext) => void | Promise<void>;

export interface Stack {
  readonly name: string;
  readonly policies: ReadonlyArray<{ readonly name: string; readonly run: Policy }>;
}

export interface Stacks {
  /** The public APIs: /crm/v1, /orders/v1, /entitlements/v1. */
  api: Stack;
  /** POST /oauth/token (RFC 6749 §4.4). */
  oauthToken: Stack;
  /** GET /.well-known/jwks.json. */
  jwks: Stack;
  healthz: Stack;
  readyz: Stack;
  metrics: Stack;
}

const NO_BODY = Buffer.alloc(0);

export function buildStacks(deps: GatewayDeps): Stacks {
  async function readBodyInto(ctx: RequestContext): Promise<void> {
    try {
      ctx.body = await readBody(ctx.req, deps.maxBodyBytes);
    } catch (error) {
      // The unread rest of a too-large body is not worth draining: close the connection after the 413.
      if (error instanceof ProblemError) ctx.res.setHeader('Connection', 'close');
      throw error instanceof ProblemError ? error : tooLarge(deps.maxBodyBytes);
    }
  }

  const stack = (name: string, policies: Record<string, Policy>): Stack => ({
    name,
    policies: Object.entries(policies).map(([policyName, run]) => ({ name: policyName, run })),
  });

  const policies = {
    route(ctx: RequestContext) {
      const match = deps.routes.match(ctx.method, ctx.pathname);
      if (match.kind === 'operation') {
        ctx.operation = match.operation;
        ctx.params = match.params;
        return;
      }
      if (match.kind === 'method_not_allowed') {
        // RFC 9110 §15.5.6: a 405 lists the methods the resource supports; HEAD comes with GET (§9.3.2).
        const allow = match.allow.includes('GET') ? [...match.allow, 'HEAD'] : match.allow;
        throw new ProblemError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.pathname}.`, {
          headers: { Allow: allow.join(', ') },
        });
      }
      throw new ProblemError('route_not_found', `No operation matches ${ctx.method} ${ctx.pathname}.`);
    },

    /** Per client IP, before any credential is looked at: floods and key guessing stop here (DESIGN.md "Limits"). */
    async preAuthLimit(ctx: RequestContext) {
      const decision = await deps.limits.consumePreAuth(ctx.limiterKey);
      // The per-address policy is what a request that never gets further (401, 404, 405) is told; an app's own
      // limits replace it once the caller is known.
      ctx.addResponseHeaders(decision.headers);
      if (decision.outcome !== 'admitted') {
        deps.metrics.limited({
          kind: decision.outcome === 'limited' ? decision.violated.kind : 'unavailable',
        });
        throw decision.problem;
      }
    },

    async authenticate(ctx: RequestContext) {
      const headers = ctx.req.headers;
      // A signature covers the body's digest (RFC 9530), so only then is the body read before the caller is known.
      if (headers['signature-input'] !== undefined || headers.signature !== undefined)
        await policies.body(ctx);
      let result: Awaited<ReturnType<typeof deps.authenticate>>;
      try {
        result = await deps.authenticate({ method: ctx.method, headers, url: ctx.url, body: ctx.body });
      } catch (error) {
        // The credential could not be checked (the store is away and it was not cached): not the caller's fault,
        // and not a 401 either — that would tell a valid key it is invalid. RFC 9110 §15.6.4.
        throw new ProblemError(
          'service_unavailable',
          'Credentials cannot be checked at the moment. Retry shortly.',
          {
            headers: { 'Retry-After': '2' },
            internalMessage: `authentication failed: ${(error as Error).message}`,
            cause: error,
          },
        );
      }
      if (result.outcome === 'authenticated') {
        ctx.caller = result.caller;
        return;
      }
      ctx.refusal = result.reason;
      deps.metrics.authFailure({ reason: result.reason.split(':')[0]! });
      // Counted off the response path: a slow store must not slow the refusal (limits.ts bounds it anyway).
      deps.limits.recordAuthFailure(ctx.limiterKey).catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'counting a failed authentication failed');
      });
      throw unauthenticated(result);
    },

    scopes(ctx: RequestContext) {
      assertScopes(ctx.caller!, ctx.operation!);
    },

    /** The app's rate limits, then its plan's quotas; their RateLimit headers go on every response from here on. */
    async limits(ctx: RequestContext) {
      const caller = ctx.caller!;
      const plan = await deps.plans.get(caller.planId);
      if (!plan) {
        throw new ProblemError('service_unavailable', 'The plan of this app cannot be read. Retry shortly.', {
          headers: { 'Retry-After': '5' },
          internalMessage: `plan ${caller.planId} of app ${caller.appId} not found`,
        });
      }
      const decision = await deps.limits.consume(caller.appId, plan);
      ctx.addResponseHeaders(decision.headers);
      if (decision.outcome !== 'admitted') {
        deps.metrics.limited({
          kind: decision.outcome === 'limited' ? decision.violated.kind : 'unavailable',
        });
        throw decision.problem;
      }
    },

    body(ctx: RequestContext): void | Promise<void> {
      if (ctx.body !== undefined) return;
      // RFC 9112 §6.3: without Content-Length or Transfer-Encoding there is no body — decided without a promise.
      const headers = ctx.req.headers;
      if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
        ctx.body = NO_BODY;
        return;
      }
      return readBodyInto(ctx);
    },

    validate(ctx: RequestContext) {
      validateRequest(ctx, deps.validator);
    },

    /** Forwards with the identity assertion (DESIGN.md "Proxying"), through the Idempotency-Key policy on POST. */
    async proxy(ctx: RequestContext) {
      const caller = ctx.caller!;
      const operation = ctx.operation!;
      const headers = buildUpstreamHeaders(ctx.req.headers, {
        requestId: ctx.requestId,
        clientAddress: ctx.clientAddress,
        protocol: 'http',
        httpVersion: ctx.req.httpVersion,
        identity: { name: IDENTITY_ASSERTION_HEADER, value: deps.signIdentity(caller, operation.api) },
      });
      await idempotentForward(ctx, deps, headers);
    },
  };

  return {
    // Every authenticated request counts against its app's limits, refused or not (a 403 or a 400 costs work too),
    // so limits run before the scope check and every answer to a known app carries its RateLimit headers.
    api: stack('api', {
      preAuthLimit: policies.preAuthLimit,
      route: policies.route,
      authenticate: policies.authenticate,
      limits: policies.limits,
      scopes: policies.scopes,
      body: policies.body,
      validate: policies.validate,
      proxy: policies.proxy,
    }),
    oauthToken: stack('oauth-token', {
      preAuthLimit: policies.preAuthLimit,
      body: policies.body,
      token: async (ctx) => {
        await answerEndpoint(ctx, deps.tokenEndpoint);
        // A wrong client secret is a failed authentication like a wrong key: it counts towards blocking the address.
        if (ctx.refusal?.startsWith('invalid_client')) {
          deps.metrics.authFailure({ reason: 'client_secret' });
          deps.limits.recordAuthFailure(ctx.limiterKey).catch((error: unknown) => {
            ctx.log.warn({ err: error }, 'counting a failed authentication failed');
          });
        }
      },
    }),
    jwks: stack('jwks', { jwks: (ctx) => answerEndpoint(ctx, deps.jwksEndpoint) }),
    healthz: stack('healthz', { healthz: (ctx) => healthz(ctx) }),
    readyz: stack('readyz', { readyz: (ctx) => readyz(ctx, deps) }),
    metrics: stack('metrics', { metrics: (ctx) => metricsEndpoint(ctx, deps) }),
  };
}
