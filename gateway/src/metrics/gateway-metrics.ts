// The gateway's Prometheus metrics for /metrics: one prom-client Registry per gateway (never the global default
// registry, so two gateways in one process — tests — never share counts) and typed helpers the app calls once
// per event. Every label comes from a closed set (labels.ts), so the number of series stays bounded.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState } from '../policies/proxy/circuit-breaker';
import type { LimiterKind } from '../policies/limits/limits-options';
import type { StoreErrorReason } from '../policies/limits/store-call';
import {
  authFailureReasonLabel,
  limitedKindLabel,
  limiterKindLabel,
  OperationLabels,
  operationKey,
  statusLabel,
  storeErrorReasonLabel,
  upstreamErrorKindLabel,
  type LimitedKind,
  type UpstreamErrorKind,
} from './labels';

/** From 0.5 ms (a cached 4xx answered by the gateway) to 5 s (past it, the proxy's timeout decides). */
export const DURATION_BUCKETS_SECONDS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
] as const;

const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open'];

export interface GatewayMetricsOptions {
  /**
   * The only (api, operation) pairs counted by name, e.g. RouteTable.operations plus the app's stack names; any
   * other is `unknown`. Without it, the first `maxOperationSeries` name-like pairs are kept, later ones `unknown`.
   */
  operations?: Iterable<{ api: string; operationId: string }>;
  /** Default 500: the specs hold a few dozen operations, so reaching it means a bug, not traffic. */
  maxOperationSeries?: number;
  /** Process metrics (CPU, memory, event loop lag, GC) as `portico_process_…`, `portico_nodejs_…`. Default true. */
  collectDefaultMetrics?: boolean;
}

export interface GatewayMetrics {
  /** The gateway's own registry, for tests and for adding a metric beside these. */
  readonly registry: Registry;
  /** Once per request after the response finished. No route: leave api/operationId undefined (`unknown`). */
  requestFinished(event: {
    api: string | undefined;
    operationId: string | undefined;
    status: number;
    durationSeconds: number;
  }): void;
  /** Once per upstream response received (whatever its status); `upstream` is the configured upstream name. */
  upstreamFinished(event: { upstream: string; status: number; durationSeconds: number }): void;
  /** An upstream attempt that got no response, or was refused by the open circuit. */
  upstreamError(event: { upstream: string; kind: UpstreamErrorKind }): void;
  /**
   * `reason` is an AuthFailureReason or the authentication policy's full reason (`api_key:revoked`): only the
   * scheme is kept, anything else is `other`.
   */
  authFailure(event: { reason: string }): void;
  limiterStoreError(event: { limiter: LimiterKind; policy: string; reason: StoreErrorReason }): void;
  /** A request refused with 429 by this kind of limiter, or with 503 (`unavailable`) because a store was down. */
  limited(event: { kind: LimitedKind }): void;
  /** Usage events the meter dropped (UsageMeterOptions.onDropped). */
  usageDropped(count: number): void;
  /** Read on every scrape: the state of each upstream's circuit breaker. */
  setCircuitStateSource(source: () => Record<string, CircuitState>): void;
  render(): Promise<{ contentType: string; body: string }>;
}

export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.collectDefaultMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  const operations = new OperationLabels(options.operations, options.maxOperationSeries ?? 500);

  const requests = new Counter({
    name: 'portico_gateway_requests_total',
    help: 'Requests answered by the gateway, by API, operation and status.',
    labelNames: ['api', 'operation', 'status'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'portico_gateway_request_duration_seconds',
    help: 'Time from the request arriving to the response finishing, by API and operation.',
    labelNames: ['api', 'operation'] as const,
    buckets: [...DURATION_BUCKETS_SECONDS],
    registers,
  });
  const upstreamResponses = new Counter({
    name: 'portico_gateway_upstream_responses_total',
    help: 'Responses received from upstreams, by upstream and status.',
    labelNames: ['upstream', 'status'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'portico_gateway_upstream_duration_seconds',
    help: 'Time from forwarding a request to the upstream response headers (retries included), by upstream.',
    labelNames: ['upstream'] as const,
    buckets: [...DURATION_BUCKETS_SECONDS],
    registers,
  });
  const upstreamErrors = new Counter({
    name: 'portico_gateway_upstream_errors_total',
    help: 'Upstream attempts without a response (connect, broken, timeout, other) or refused by an open circuit.',
    labelNames: ['upstream', 'kind'] as const,
    registers,
  });
  const authFailures = new Counter({
    name: 'portico_gateway_auth_failures_total',
    help: 'Requests refused with 401, by the scheme of the presented credential (none, invalid, …).',
    labelNames: ['reason'] as const,
    registers,
  });
  const limiterStoreErrors = new Counter({
    name: 'portico_gateway_limiter_store_errors_total',
    help: 'Limiter calls that failed on the counter store, by limiter, policy and reason.',
    labelNames: ['limiter', 'policy', 'reason'] as const,
    registers,
  });
  const limitedRequests = new Counter({
    name: 'portico_gateway_limited_total',
    help: 'Requests refused by a limiter (429), by kind, or because a limiter store was down (unavailable, 503).',
    labelNames: ['kind'] as const,
    registers,
  });
  const usageDropped = new Counter({
    name: 'portico_gateway_usage_events_dropped_total',
    help: 'Usage events dropped because the meter buffer was full (the usage store was unreachable too long).',
    registers,
  });
  let circuitSource: (() => Record<string, CircuitState>) | undefined;
  new Gauge({
    name: 'portico_gateway_circuit_state',
    help: 'The circuit breaker state of each upstream: 1 for the current state, 0 for the others.',
    labelNames: ['upstream', 'state'] as const,
    registers,
    collect() {
      this.reset();
      if (!circuitSource) return;
      let states: Record<string, CircuitState>;
      try {
        states = circuitSource();
      } catch {
        // A broken source must not fail the whole scrape; the missing series show it.
        return;
      }
      for (const [upstream, current] of Object.entries(states)) {
        for (const state of CIRCUIT_STATES) this.set({ upstream, state }, state === current ? 1 : 0);
      }
    },
  });

  // Children by label values, so the per-request path skips prom-client's label hashing; bounded like the labels.
  const requestChildren = new Map<string, Counter.Internal>();
  const durationChildren = new Map<string, Histogram.Internal<'api' | 'operation'>>();

  return {
    registry,
    requestFinished(event) {
      const { api, operation } = operations.of(event.api, event.operationId);
      const status = statusLabel(event.status);
      const key = operationKey(api, operation);
      let counter = requestChildren.get(`${key}\u0000${status}`);
      if (!counter) {
        counter = requests.labels(api, operation, status);
        requestChildren.set(`${key}\u0000${status}`, counter);
      }
      counter.inc();
      let histogram = durationChildren.get(key);
      if (!histogram) {
        histogram = requestDuration.labels(api, operation);
        durationChildren.set(key, histogram);
      }
      histogram.observe(Math.max(0, event.durationSeconds));
    },
    upstreamFinished(event) {
      upstreamResponses.inc({ upstream: event.upstream, status: statusLabel(event.status) });
      upstreamDuration.observe({ upstream: event.upstream }, Math.max(0, event.durationSeconds));
    },
    upstreamError(event) {
      upstreamErrors.inc({ upstream: event.upstream, kind: upstreamErrorKindLabel(event.kind) });
    },
    authFailure(event) {
      authFailures.inc({ reason: authFailureReasonLabel(event.reason) });
    },
    limiterStoreError(event) {
      limiterStoreErrors.inc({
        limiter: limiterKindLabel(event.limiter),
        policy: event.policy,
        reason: storeErrorReasonLabel(event.reason),
      });
    },
    limited(event) {
      limitedRequests.inc({ kind: limitedKindLabel(event.kind) });
    },
    usageDropped(count) {
      if (count > 0) usageDropped.inc(count);
    },
    setCircuitStateSource(source) {
      circuitSource = source;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
