// Forwards a request to a named upstream over a pooled keep-alive undici Pool, streams the answer back untouched
// (a backend's 4xx/5xx included, DESIGN.md) and makes the gateway's own problem only for its own failures: 502
// unreachable, 504 no headers within the upstream's timeout, 503 + Retry-After while the circuit is open.
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Clock } from '../../../../internal/src/clock';
import type { Logger } from '../../../../internal/src/logger';
import {
  createCircuitBreaker,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker';
import { ForwardAttempt } from './forward-attempt';
import {
  circuitOpenProblem,
  classifyUpstreamError,
  countsAsCircuitFailure,
  mayRetry,
  upstreamProblem,
  UpstreamTimeoutError,
  type UpstreamFailureKind,
} from './upstream-failure';

export interface UpstreamConfig {
  /** `http://127.0.0.1:4001`: scheme, host and port only. */
  origin: string;
  /** Budget for the response headers, from the forward call: queueing, connecting, retries and waiting included. */
  timeoutMs: number;
  /** Keep-alive connections to this upstream per process (pipelining 1, so also its concurrency). Default 64. */
  connections?: number;
  /** Longest silence between two body chunks once the answer has started. Default 30 000 ms. */
  bodyTimeoutMs?: number;
}

export interface RetryOptions {
  /** Extra attempts after a connect error, for requests that may be retried (upstream-failure.ts). Default 1. */
  maxRetries?: number;
  /** Wait before retry n (1-based) is n × backoffMs; skipped when the timeout budget cannot cover it. Default 50. */
  backoffMs?: number;
}

export const PROXY_DEFAULTS = {
  connections: 64,
  bodyTimeoutMs: 30_000,
  // Under Node's default server keepAliveTimeout (5 s; our backends use 65 s), so we drop idle sockets first.
  keepAliveTimeoutMs: 4_000,
  maxRetries: 1,
  backoffMs: 50,
} as const;

export interface UpstreamProxyOptions {
  upstreams: Record<string, UpstreamConfig>;
  breaker?: CircuitBreakerOptions;
  retry?: RetryOptions;
  keepAliveTimeoutMs?: number;
  clock: Clock;
  logger: Logger;
  /** Told of every upstream answer (its headers arrived) and every failure, for metrics; must not throw. */
  observe?: {
    response(upstream: string, status: number, seconds: number): void;
    failure(upstream: string, kind: UpstreamFailureKind | 'circuit_open'): void;
  };
}

export interface ForwardRequest {
  /** A key of `upstreams`. */
  upstream: string;
  method: string;
  /** Path and query, as the upstream should see them. */
  path: string;
  /** Upstream request headers, already through buildUpstreamHeaders (header-hygiene.ts). */
  headers: Record<string, string>;
  /** The raw bytes the gateway read once (STACK.md pitfall 6). */
  body?: Buffer;
  /** The caller's Idempotency-Key: lets a POST/PATCH be retried after a connect error. */
  idempotencyKey?: string;
  /**
   * Where the request's child logger (it carries the requestId) comes from, read only when something is logged:
   * a logger, or an object whose `log` makes one on first use (the gateway's request context). Default: the proxy's.
   */
  log?: Logger | { readonly log: Logger };
}

export interface ForwardResult {
  /** The upstream's status, or 499 (nginx's "client closed request") if the caller left before it answered. */
  status: number;
  /** From the forward call to the upstream's response headers (or to the caller leaving). */
  upstreamMs: number;
}

export interface UpstreamProxy {
  /**
   * Streams the upstream's answer into `res` and settles when it is complete or was cut. Throws a ProblemError
   * (502/503/504) only while nothing has been sent; afterwards a failure is logged and `res` destroyed.
   */
  forward(res: ServerResponse, request: ForwardRequest): Promise<ForwardResult>;
  circuitState(upstream: string): CircuitState;
  /** Stops accepting work and waits for in-flight upstream requests. */
  close(): Promise<void>;
}

/** The undici Pool settings for one upstream; exported so tests assert them rather than time them. */
export function upstreamPoolOptions(config: UpstreamConfig, keepAliveTimeoutMs: number): Pool.Options {
  return {
    connections: config.connections ?? PROXY_DEFAULTS.connections,
    // Pipelining would let one slow answer hold up others, and a retried request could be one of several in flight.
    pipelining: 1,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Backstops for the proxy's own deadline, which is the precise one (undici's timers drift up to ~0.5 s).
    headersTimeout: config.timeoutMs,
    connect: { timeout: config.timeoutMs },
    bodyTimeout: config.bodyTimeoutMs ?? PROXY_DEFAULTS.bodyTimeoutMs,
    strictContentLength: true,
  };
}

interface Upstream {
  name: string;
  config: UpstreamConfig;
  pool: Pool;
  breaker: CircuitBreaker;
}

export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const maxRetries = options.retry?.maxRetries ?? PROXY_DEFAULTS.maxRetries;
  const backoffMs = options.retry?.backoffMs ?? PROXY_DEFAULTS.backoffMs;
  const keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? PROXY_DEFAULTS.keepAliveTimeoutMs;
  const upstreams = new Map<string, Upstream>();
  for (const [name, config] of Object.entries(options.upstreams)) {
    if (!(config.timeoutMs > 0)) throw new Error(`upstream ${name}: timeoutMs must be > 0`);
    const breaker = createCircuitBreaker({
      ...options.breaker,
      clock: options.clock,
      onTransition: (from, to) =>
        options.logger.warn({ upstream: name, from, to }, 'upstream circuit breaker'),
    });
    const pool = new Pool(config.origin, upstreamPoolOptions(config, keepAliveTimeoutMs));
    upstreams.set(name, { name, config, pool, breaker });
  }

  const upstreamNamed = (name: string): Upstream => {
    const upstream = upstreams.get(name);
    if (!upstream) throw new Error(`unknown upstream '${name}'`);
    return upstream;
  };

  async function forward(res: ServerResponse, request: ForwardRequest): Promise<ForwardResult> {
    const upstream = upstreamNamed(request.upstream);
    // A request's child logger is made only if something is logged (the warm path logs nothing here).
    const given = request.log;
    const log = (): Logger =>
      given === undefined
        ? options.logger
        : 'log' in given && !('info' in given)
          ? given.log
          : (given as Logger);
    const ticket = upstream.breaker.tryAcquire();
    if (!ticket.admitted) {
      options.observe?.failure(upstream.name, 'circuit_open');
      throw circuitOpenProblem(upstream.name, ticket.retryAfterSeconds);
    }

    const { timeoutMs } = upstream.config;
    const started = performance.now();
    const elapsedMs = () => performance.now() - started;
    const retryable = mayRetry(request.method, request.idempotencyKey);
    const dispatchOptions = {
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body ?? null,
    };

    let attempt: ForwardAttempt | undefined;
    let timedOut = false;
    // One deadline for the whole forward, so a retry never stretches the caller's wait past timeoutMs.
    const deadline = setTimeout(() => {
      timedOut = true;
      attempt?.cancel(new UpstreamTimeoutError(timeoutMs));
    }, timeoutMs);
    const fail = (kind: UpstreamFailureKind, error: unknown, written: boolean) => {
      options.observe?.failure(upstream.name, kind);
      if (countsAsCircuitFailure(kind)) upstream.breaker.onFailure(ticket);
      else upstream.breaker.onNeutral(ticket);
      return upstreamProblem(kind, {
        upstream: upstream.name,
        origin: upstream.config.origin,
        timeoutMs,
        error,
        written,
      });
    };

    try {
      for (let retry = 0; ; retry++) {
        // With an Idempotency-Key the answer is owed to the key, not only to this connection: a caller who leaves
        // (a client timeout, a dropped network) retries with the key and must get this answer, not a second act.
        attempt = new ForwardAttempt(res, log, { finishWithoutCaller: request.idempotencyKey !== undefined });
        upstream.pool.dispatch(dispatchOptions, attempt);
        const outcome = await attempt.outcome;
        if (outcome.kind === 'response') {
          clearTimeout(deadline);
          const upstreamMs = elapsedMs();
          options.observe?.response(upstream.name, outcome.status, upstreamMs / 1000);
          upstream.breaker.onSuccess(ticket);
          await outcome.done;
          return { status: outcome.status, upstreamMs };
        }
        if (outcome.kind === 'client_gone') {
          upstream.breaker.onNeutral(ticket);
          return { status: 499, upstreamMs: elapsedMs() };
        }
        const kind = classifyUpstreamError(outcome.error, outcome.written);
        const waitMs = backoffMs * (retry + 1);
        // Only a connect error guarantees the upstream never saw the request (it was never written).
        if (kind !== 'connect' || !retryable || retry >= maxRetries || elapsedMs() + waitMs >= timeoutMs) {
          throw fail(kind, outcome.error, outcome.written);
        }
        log().debug(
          { upstream: upstream.name, err: outcome.error, retry: retry + 1 },
          'retrying after connect error',
        );
        if (waitMs > 0) await delay(waitMs);
        if (timedOut) throw fail('timeout', new UpstreamTimeoutError(timeoutMs), false);
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  return {
    forward,
    circuitState: (name) => upstreamNamed(name).breaker.state,
    close: async () => {
      await Promise.all([...upstreams.values()].map((upstream) => upstream.pool.close()));
    },
  };
}
