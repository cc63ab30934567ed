// The gateway's own failures through real sockets: unreachable → 502, slow → 504, retries only where safe, and the
// circuit breaker opening, refusing with Retry-After, half-opening after the cool-down and closing again.
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import { manualClock, type ManualClock } from '../../../../internal/src/clock';
import { createUpstreamProxy, upstreamPoolOptions, type UpstreamProxy } from './upstream-proxy';
import { call, freePort, silentLogger, startGateway, startUpstream } from './test-servers';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Counts undici's failed connection attempts to one port (its diagnostics channel), i.e. the attempts made. */
function connectErrorsTo(port: number, onError?: () => void): { count: number } {
  const counter = { count: 0 };
  const listener = (message: unknown) => {
    const { connectParams } = message as { connectParams: { port: string | number } };
    if (Number(connectParams.port) !== port) return;
    counter.count += 1;
    onError?.();
  };
  diagnostics.subscribe('undici:client:connectError', listener);
  closers.push(async () => void diagnostics.unsubscribe('undici:client:connectError', listener));
  return counter;
}

async function gatewayTo(
  origin: string,
  options: { timeoutMs?: number; clock?: ManualClock; failureThreshold?: number; coolDownMs?: number } = {},
) {
  const proxy: UpstreamProxy = createUpstreamProxy({
    upstreams: { backend: { origin, timeoutMs: options.timeoutMs ?? 5_000 } },
    breaker: { failureThreshold: options.failureThreshold ?? 5, coolDownMs: options.coolDownMs ?? 10_000 },
    retry: { maxRetries: 1, backoffMs: 20 },
    clock: options.clock ?? manualClock(),
    logger: silentLogger,
  });
  const gateway = await startGateway(proxy);
  closers.push(gateway.close, () => proxy.close());
  return { proxy, gateway };
}

const problem = (answer: { body: Buffer }) => JSON.parse(answer.body.toString()) as { code: string };

describe('upstream proxy: failures', () => {
  test('upstream down → 502 bad_gateway problem', async () => {
    const { gateway } = await gatewayTo(`http://127.0.0.1:${await freePort()}`);
    const answer = await call(gateway.baseUrl);
    expect([answer.status, answer.headers['content-type'], problem(answer).code]).toEqual([
      502,
      'application/problem+json',
      'bad_gateway',
    ]);
  });

  test('upstream slow → 504 gateway_timeout within its timeout + 0.5 s', async () => {
    const timeoutMs = 300;
    // The undici settings back the proxy's own, precise deadline.
    expect(upstreamPoolOptions({ origin: 'http://x', timeoutMs }, 4_000)).toMatchObject({
      headersTimeout: timeoutMs,
      connect: { timeout: timeoutMs },
      pipelining: 1,
      keepAliveTimeout: 4_000,
    });
    const upstream = await startUpstream(() => undefined); // accepts, never answers
    closers.push(upstream.close);
    const { gateway } = await gatewayTo(upstream.origin, { timeoutMs });
    const started = performance.now();
    const answer = await call(gateway.baseUrl);
    const elapsedMs = performance.now() - started;
    expect([answer.status, problem(answer).code]).toEqual([504, 'gateway_timeout']);
    expect(elapsedMs).toBeLessThan(timeoutMs + 500); // the acceptance bound of issue 4
    expect(upstream.seen).toHaveLength(1); // a timed-out request is never retried
  });

  test.each([
    ['GET', {}, 2],
    ['DELETE', {}, 2],
    ['POST', {}, 1],
    ['PATCH', {}, 1],
    ['POST', { 'idempotency-key': 'idem-1' }, 2],
  ])('%s %p after a connect error: %i attempt(s)', async (method, headers, attempts) => {
    const port = await freePort();
    const errors = connectErrorsTo(port);
    const { gateway } = await gatewayTo(`http://127.0.0.1:${port}`);
    const answer = await call(gateway.baseUrl, {
      method,
      headers,
      body: method.startsWith('P') ? '{}' : undefined,
    });
    expect(answer.status).toBe(502);
    expect(errors.count).toBe(attempts);
  });

  test('a GET retried after a connect error reaches the upstream that came up meanwhile', async () => {
    const port = await freePort();
    const upstream = http.createServer((_req, res) => res.end('up'));
    closers.push(() => new Promise((resolve) => upstream.close(() => resolve())));
    // listen() binds synchronously, so the server is up before the retry's backoff ends.
    connectErrorsTo(port, () => upstream.listen(port, '127.0.0.1'));
    const { gateway } = await gatewayTo(`http://127.0.0.1:${port}`);
    const answer = await call(gateway.baseUrl);
    expect([answer.status, answer.body.toString()]).toEqual([200, 'up']);
  });

  test('never retries once the upstream may have received the request', async () => {
    const upstream = await startUpstream((req) => req.socket.destroy()); // reads it all, then hangs up
    closers.push(upstream.close);
    const { gateway } = await gatewayTo(upstream.origin);
    const answer = await call(gateway.baseUrl);
    expect([answer.status, problem(answer).code]).toEqual([502, 'bad_gateway']);
    expect(upstream.seen).toHaveLength(1);
  });

  test('the circuit opens after N failures, answers 503 + Retry-After, half-opens after the cool-down, closes on success', async () => {
    const clock = manualClock();
    const port = await freePort();
    const errors = connectErrorsTo(port);
    const { gateway, proxy } = await gatewayTo(`http://127.0.0.1:${port}`, {
      clock,
      failureThreshold: 2,
      coolDownMs: 5_000,
    });
    const get = () => call(gateway.baseUrl, { method: 'POST', body: '{}' }); // POST: one attempt per request

    expect((await get()).status).toBe(502);
    expect((await get()).status).toBe(502);
    expect(proxy.circuitState('backend')).toBe('open');

    const refused = await get();
    expect([refused.status, refused.headers['retry-after'], problem(refused).code]).toEqual([
      503,
      '5',
      'service_unavailable',
    ]);
    expect(errors.count).toBe(2); // an open circuit does not touch the upstream
    clock.advance(4_200);
    expect((await get()).headers['retry-after']).toBe('1');

    // Cool-down over, upstream still down: the trial fails and the circuit reopens for a full cool-down.
    clock.advance(800);
    expect((await get()).status).toBe(502);
    expect(proxy.circuitState('backend')).toBe('open');
    expect((await get()).headers['retry-after']).toBe('5');

    // The upstream recovers: after the cool-down one trial goes through and its success closes the circuit.
    const upstream = await startUpstream((_req, res) => res.end('back'), { port });
    closers.push(upstream.close);
    clock.advance(5_000);
    const trial = await get();
    expect([trial.status, trial.body.toString()]).toEqual([200, 'back']);
    expect(proxy.circuitState('backend')).toBe('closed');
    expect((await get()).status).toBe(200);
  });

  test('a slow upstream counts towards the circuit like an unreachable one', async () => {
    const upstream = await startUpstream(() => undefined);
    closers.push(upstream.close);
    const { gateway, proxy } = await gatewayTo(upstream.origin, { timeoutMs: 100, failureThreshold: 1 });
    expect((await call(gateway.baseUrl)).status).toBe(504);
    expect(proxy.circuitState('backend')).toBe('open');
  });
});
