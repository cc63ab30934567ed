// The gateway's metrics: counts and labels after a few calls, a scrape that parses as Prometheus text, one registry
// per gateway, and label values that stay within closed sets whatever the requests were.
import { register as globalRegistry } from 'prom-client';
import { createGatewayMetrics, DURATION_BUCKETS_SECONDS, type GatewayMetrics } from './gateway-metrics';
import { parsePrometheusText, sampleValue, type ParsedExposition } from './prometheus-text';

const OPERATIONS = [
  { api: 'crm', operationId: 'listCustomers' },
  { api: 'crm', operationId: 'getCustomer' },
  { api: 'orders', operationId: 'createOrder' },
];

function metrics(): GatewayMetrics {
  return createGatewayMetrics({ operations: OPERATIONS, collectDefaultMetrics: false });
}

async function scrape(m: GatewayMetrics): Promise<ParsedExposition> {
  const { contentType, body } = await m.render();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8/);
  return parsePrometheusText(body);
}

describe('createGatewayMetrics', () => {
  test('counts requests by api, operation and status, and observes their duration', async () => {
    const m = metrics();
    m.requestFinished({ api: 'crm', operationId: 'listCustomers', status: 200, durationSeconds: 0.0004 });
    m.requestFinished({ api: 'crm', operationId: 'listCustomers', status: 200, durationSeconds: 0.02 });
    m.requestFinished({ api: 'crm', operationId: 'listCustomers', status: 429, durationSeconds: 0.001 });
    m.requestFinished({ api: 'orders', operationId: 'createOrder', status: 201, durationSeconds: 7 });
    const p = await scrape(m);

    expect(p.types.get('portico_gateway_requests_total')).toBe('counter');
    expect(p.types.get('portico_gateway_request_duration_seconds')).toBe('histogram');
    const list = { api: 'crm', operation: 'listCustomers' };
    expect(sampleValue(p, 'portico_gateway_requests_total', { ...list, status: '200' })).toBe(2);
    expect(sampleValue(p, 'portico_gateway_requests_total', { ...list, status: '429' })).toBe(1);
    expect(
      sampleValue(p, 'portico_gateway_requests_total', {
        api: 'orders',
        operation: 'createOrder',
        status: '201',
      }),
    ).toBe(1);
    const bucket = (le: string, labels = list) =>
      sampleValue(p, 'portico_gateway_request_duration_seconds_bucket', { ...labels, le });
    expect(bucket('0.0005')).toBe(1);
    expect(bucket('0.001')).toBe(2);
    expect(bucket('0.025')).toBe(3);
    expect(bucket('+Inf')).toBe(3);
    expect(sampleValue(p, 'portico_gateway_request_duration_seconds_count', list)).toBe(3);
    expect(sampleValue(p, 'portico_gateway_request_duration_seconds_sum', list)).toBeCloseTo(0.0214, 6);
    const order = { api: 'orders', operation: 'createOrder' };
    expect(bucket('5', order)).toBe(0);
    expect(bucket('+Inf', order)).toBe(1);
    const les = p.samples
      .filter((s) => s.name === 'portico_gateway_request_duration_seconds_bucket' && s.labels.api === 'crm')
      .map((s) => s.labels.le);
    expect(les).toEqual([...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
  });

  test('upstream, authentication, limiter and usage counters carry only coarse labels', async () => {
    const m = metrics();
    m.upstreamFinished({ upstream: 'crm', status: 503, durationSeconds: 0.2 });
    m.upstreamError({ upstream: 'crm', kind: 'timeout' });
    m.upstreamError({ upstream: 'orders', kind: 'circuit_open' });
    m.authFailure({ reason: 'api_key:revoked' });
    m.authFailure({ reason: 'api_key:not_found' });
    m.authFailure({ reason: 'none' });
    m.authFailure({ reason: 'ptc_live_0123456789abcdefghijABCDEFGHIJ' });
    m.limiterStoreError({ limiter: 'quota', policy: 'day', reason: 'timeout' });
    m.limited({ kind: 'rate_limit' });
    m.limited({ kind: 'rate_limit' });
    m.limited({ kind: 'unavailable' });
    m.usageDropped(12);
    m.usageDropped(0);
    const p = await scrape(m);

    expect(
      sampleValue(p, 'portico_gateway_upstream_responses_total', { upstream: 'crm', status: '503' }),
    ).toBe(1);
    expect(sampleValue(p, 'portico_gateway_upstream_duration_seconds_count', { upstream: 'crm' })).toBe(1);
    expect(
      sampleValue(p, 'portico_gateway_upstream_errors_total', { upstream: 'crm', kind: 'timeout' }),
    ).toBe(1);
    expect(
      sampleValue(p, 'portico_gateway_upstream_errors_total', { upstream: 'orders', kind: 'circuit_open' }),
    ).toBe(1);
    const auth = p.samples.filter((s) => s.name === 'portico_gateway_auth_failures_total');
    expect(auth.map((s) => [s.labels.reason, s.value]).sort()).toEqual([
      ['api_key', 2],
      ['none', 1],
      ['other', 1],
    ]);
    expect(
      sampleValue(p, 'portico_gateway_limiter_store_errors_total', {
        limiter: 'quota',
        policy: 'day',
        reason: 'timeout',
      }),
    ).toBe(1);
    expect(sampleValue(p, 'portico_gateway_limited_total', { kind: 'rate_limit' })).toBe(2);
    expect(sampleValue(p, 'portico_gateway_limited_total', { kind: 'unavailable' })).toBe(1);
    expect(sampleValue(p, 'portico_gateway_usage_events_dropped_total')).toBe(12);
  });

  test('the circuit state of each upstream is read from the source on every scrape', async () => {
    const m = metrics();
    let states: Record<string, 'closed' | 'open' | 'half_open'> = { crm: 'closed', orders: 'open' };
    m.setCircuitStateSource(() => states);
    let p = await scrape(m);
    const state = (upstream: string, s: string) =>
      sampleValue(p, 'portico_gateway_circuit_state', { upstream, state: s });
    expect([state('crm', 'closed'), state('crm', 'open'), state('crm', 'half_open')]).toEqual([1, 0, 0]);
    expect([state('orders', 'closed'), state('orders', 'open'), state('orders', 'half_open')]).toEqual([
      0, 1, 0,
    ]);

    states = { crm: 'half_open' };
    p = await scrape(m);
    expect([state('crm', 'closed'), state('crm', 'open'), state('crm', 'half_open')]).toEqual([0, 0, 1]);
    expect(state('orders', 'open')).toBeUndefined();

    m.setCircuitStateSource(() => {
      throw new Error('breakers gone');
    });
    p = await scrape(m);
    expect(p.samples.filter((s) => s.name === 'portico_gateway_circuit_state')).toEqual([]);
  });

  test('with the route table, requests outside it share one `unknown` series, whatever their path or name', async () => {
    const m = metrics();
    for (let i = 0; i < 500; i++) {
      m.requestFinished({ api: undefined, operationId: undefined, status: 404, durationSeconds: 0.001 });
      m.requestFinished({
        api: 'crm',
        operationId: `/crm/v1/customers/cus_${i}`,
        status: 404,
        durationSeconds: 0,
      });
      m.requestFinished({ api: `/x${i}`, operationId: 'listCustomers', status: 404, durationSeconds: 0 });
    }
    // A known operation under the wrong API is not that operation.
    m.requestFinished({ api: 'orders', operationId: 'listCustomers', status: 200, durationSeconds: 0 });
    m.requestFinished({ api: 'crm', operationId: 'getCustomer', status: 999, durationSeconds: 0 });
    const p = await scrape(m);

    const counts = p.samples.filter((s) => s.name === 'portico_gateway_requests_total');
    expect(counts.map((s) => [s.labels.api, s.labels.operation, s.labels.status, s.value]).sort()).toEqual([
      ['crm', 'getCustomer', 'other', 1],
      ['crm', 'unknown', '404', 500],
      ['orders', 'unknown', '200', 1],
      ['unknown', 'unknown', '404', 1000],
    ]);
    const durationSeries = new Set(
      p.samples
        .filter((s) => s.name === 'portico_gateway_request_duration_seconds_count')
        .map((s) => `${s.labels.api}/${s.labels.operation}`),
    );
    expect([...durationSeries].sort()).toEqual([
      'crm/getCustomer',
      'crm/unknown',
      'orders/unknown',
      'unknown/unknown',
    ]);
  });

  test('without the route table, name-like pairs are kept up to the cap and everything else is `unknown`', async () => {
    const m = createGatewayMetrics({ collectDefaultMetrics: false, maxOperationSeries: 4 });
    m.requestFinished({ api: 'crm', operationId: 'listCustomers', status: 200, durationSeconds: 0 });
    m.requestFinished({ api: 'oauth', operationId: 'oauth', status: 200, durationSeconds: 0 });
    for (let i = 0; i < 500; i++) {
      m.requestFinished({
        api: 'crm',
        operationId: `/crm/v1/customers/cus_${i}`,
        status: 404,
        durationSeconds: 0,
      });
      m.requestFinished({ api: undefined, operationId: undefined, status: 404, durationSeconds: 0 });
      m.requestFinished({ api: 'crm', operationId: `op${i}`, status: 200, durationSeconds: 0 });
    }
    m.requestFinished({ api: 'oauth', operationId: 'oauth', status: 200, durationSeconds: 0 });
    const p = await scrape(m);

    const counts = p.samples.filter((s) => s.name === 'portico_gateway_requests_total');
    expect(counts.map((s) => [s.labels.api, s.labels.operation, s.labels.status, s.value]).sort()).toEqual([
      ['crm', 'listCustomers', '200', 1],
      ['crm', 'op0', '200', 1],
      ['crm', 'unknown', '404', 500],
      ['oauth', 'oauth', '200', 2],
      ['unknown', 'unknown', '200', 499],
      ['unknown', 'unknown', '404', 500],
    ]);
  });

  test('each gateway has its own registry; nothing reaches the global one', async () => {
    const a = metrics();
    const b = metrics();
    a.requestFinished({ api: 'crm', operationId: 'getCustomer', status: 200, durationSeconds: 0.01 });
    const labels = { api: 'crm', operation: 'getCustomer', status: '200' };
    expect(sampleValue(await scrape(a), 'portico_gateway_requests_total', labels)).toBe(1);
    expect(sampleValue(await scrape(b), 'portico_gateway_requests_total', labels)).toBeUndefined();
    expect(globalRegistry.getSingleMetric('portico_gateway_requests_total')).toBeUndefined();
  });

  test('process metrics are collected into the same registry with the portico_ prefix', async () => {
    const m = createGatewayMetrics({ operations: OPERATIONS });
    const p = await scrape(m);
    expect(p.types.get('portico_process_cpu_user_seconds_total')).toBe('counter');
    expect(p.types.has('process_cpu_user_seconds_total')).toBe(false);
    expect(sampleValue(p, 'portico_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(await globalRegistry.getMetricsAsJSON()).toEqual([]);
  });
});

describe('parsePrometheusText', () => {
  test.each([
    ['a sample of an undeclared family', 'foo 1\n'],
    ['a value that is not a float', '# TYPE foo counter\nfoo one\n'],
    ['an unescaped quote in a label', '# TYPE foo counter\nfoo{a="x"y"} 1\n'],
    ['a missing final newline', '# TYPE foo counter\nfoo 1'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
