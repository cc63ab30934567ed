// The whole policy in front of the real proxy (createUpstreamProxy) and a real upstream, over node:http on port
// 0: an identical retry is replayed byte for byte and never reaches the upstream again; another payload is 422;
// a retry in flight is 409; only answers the upstream produced in full are stored, anything else frees the key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { manualClock } from '../../../../internal/src/clock';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { createLogger } from '../../../../internal/src/logger';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { createUpstreamProxy, type UpstreamProxy } from '../proxy';
import { requestFingerprint } from './fingerprint';
import { forwardIdempotently, type IdempotentForwardResult } from './forward-idempotently';
import { createIdempotency } from './idempotency';
import { memoryIdempotencyStore } from './idempotency-store';
import { parseIdempotencyKey } from './idempotency-key';
import { readBody, received, send, type Received } from './testing/http';

const UPSTREAM_TIMEOUT_MS = 300;
const MAX_STORED_BODY_BYTES = 256;

type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

interface Setup {
  upstream: RunningServer;
  gateway: RunningServer;
  proxy: UpstreamProxy;
  /** Requests the upstream received. */
  calls: Buffer[];
  /** What the upstream does with its n-th request (0-based); the last entry repeats. */
  behaviours: UpstreamHandler[];
  outcomes: IdempotentForwardResult<unknown>[];
}

async function setUp(behaviours: UpstreamHandler[]): Promise<Setup> {
  const calls: Buffer[] = [];
  const outcomes: IdempotentForwardResult<unknown>[] = [];
  const upstream = await startServer(async (req, res) => {
    const body = await readBody(req);
    calls.push(body);
    await behaviours[Math.min(calls.length, behaviours.length) - 1]!(req, res, body);
  });
  const clock = manualClock();
  const proxy = createUpstreamProxy({
    upstreams: { backend: { origin: upstream.baseUrl, timeoutMs: UPSTREAM_TIMEOUT_MS } },
    clock,
    logger: createLogger({ level: 'silent' }),
  });
  const idempotency = createIdempotency({
    store: memoryIdempotencyStore({ clock }),
    clock,
    inFlightTtlSeconds: 90,
    maxStoredBodyBytes: MAX_STORED_BODY_BYTES,
  });
  let sequence = 0;
  // What the gateway app does around the proxy for a POST with a key, reduced to the essentials.
  const gateway = await startServer(async (req, res) => {
    const requestId = `req_${++sequence}`;
    const body = await readBody(req);
    // Earlier policies' headers for this request: they must survive a replay.
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('RateLimit', `"burst";r=${50 - sequence};t=1`);
    try {
      const key = parseIdempotencyKey(req.headersDistinct['idempotency-key'])!;
      const method = req.method ?? 'POST';
      const target = req.url ?? '/';
      const outcome = await forwardIdempotently(
        idempotency,
        res,
        {
          appId: String(req.headers['x-test-app'] ?? 'app_one'),
          key,
          fingerprint: requestFingerprint({ method, target, body }),
          requestId,
        },
        () =>
          proxy.forward(res, {
            upstream: 'backend',
            method,
            path: target,
            headers: { 'content-type': 'application/json', 'idempotency-key': key },
            body,
            idempotencyKey: key,
          }),
        (problem) => ({
          status: problem.status,
          headers: { 'content-type': 'application/problem+json' },
          body: Buffer.from(
            JSON.stringify({ code: problem.code, status: problem.status, detail: problem.detail }),
          ),
        }),
      );
      outcomes.push(outcome);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      if (res.headersSent) return void res.destroy();
      res.writeHead(error.status, { 'content-type': 'application/problem+json', ...error.options.headers });
      res.end(JSON.stringify({ code: error.code, status: error.status, errors: error.options.errors }));
    }
  });
  return { upstream, gateway, proxy, calls, behaviours, outcomes };
}

async function tearDown(setup: Setup | undefined): Promise<void> {
  if (!setup) return;
  await setup.proxy.close();
  for (const server of [setup.gateway, setup.upstream]) {
    server.server.closeAllConnections();
    await server.close();
  }
}

const ORDER = '{"sku":"A-1","quantity":2}';

function post(
  setup: Setup,
  options: { key?: string; body?: string; app?: string; signal?: AbortSignal } = {},
) {
  return send(setup.gateway.baseUrl, {
    method: 'POST',
    path: '/orders/v1/orders',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': options.key ?? '7c5a0f3e-order-0001',
      ...(options.app ? { 'x-test-app': options.app } : {}),
    },
    body: options.body ?? ORDER,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** An upstream that creates the order only once `answer()` is called; `reachedUpstream` settles on arrival. */
function heldUpstream(): { handler: UpstreamHandler; reachedUpstream: Promise<void>; answer: () => void } {
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  let arrived!: () => void;
  const reachedUpstream = new Promise<void>((resolve) => (arrived = resolve));
  const handler: UpstreamHandler = async (req, res, body) => {
    arrived();
    await held;
    createsOrder(req, res, body);
  };
  return { handler, reachedUpstream, answer };
}

function problemCode(response: Received): string {
  return JSON.parse(response.body.toString()).code;
}

/** An upstream that creates an order: 201, cookies, its own headers, the body in several chunks. */
const createsOrder: UpstreamHandler = (_req, res) => {
  res.writeHead(201, {
    'content-type': 'application/json; charset=utf-8',
    'set-cookie': ['session=abc; Path=/; HttpOnly', 'seen=1; Path=/'],
    'x-order-id': 'ord_1',
  });
  const body = Buffer.from('{"id":"ord_1","note":"crème brûlée ✓"}');
  // Split inside a multi-byte character: the stored bytes must be the bytes, not a re-encoded string.
  res.write(body.subarray(0, 20));
  res.write(body.subarray(20, 23));
  res.end(body.subarray(23));
};

describe('forwardIdempotently in front of the proxy', () => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await tearDown(setup);
    setup = undefined;
  });

  test('an identical retry is replayed byte for byte with Idempotent-Replayed: true and not forwarded', async () => {
    setup = await setUp([createsOrder]);
    const first = received(await post(setup));
    const retry = received(await post(setup));

    expect(setup.calls).toHaveLength(1);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.status).toBe(201);
    expect(retry.body.equals(first.body)).toBe(true);
    expect(retry.headers).toMatchObject({
      'idempotent-replayed': 'true',
      'content-type': 'application/json; charset=utf-8',
      'set-cookie': ['session=abc; Path=/; HttpOnly', 'seen=1; Path=/'],
      'x-order-id': 'ord_1',
      'x-request-id': 'req_2',
      ratelimit: '"burst";r=48;t=1',
    });
    expect(setup.outcomes.map((o) => (o.kind === 'forwarded' ? o.settled.kind : o.kind))).toEqual([
      'stored',
      'replayed',
    ]);
  });

  test('the same key with another body is 422 and never reaches the upstream', async () => {
    setup = await setUp([createsOrder]);
    received(await post(setup));
    const other = received(await post(setup, { body: '{"sku":"A-1","quantity":3}' }));
    expect([other.status, problemCode(other)]).toEqual([422, 'unprocessable']);
    expect(setup.calls).toHaveLength(1);
  });

  test('a retry while the first is in flight is 409; once answered, retries are replays', async () => {
    const { handler, reachedUpstream, answer } = heldUpstream();
    setup = await setUp([handler]);
    const first = post(setup);
    await reachedUpstream;
    const concurrent = received(await post(setup));
    expect([concurrent.status, problemCode(concurrent)]).toEqual([409, 'conflict']);
    expect(concurrent.headers['retry-after']).toBe('1');
    answer();
    expect(received(await first).status).toBe(201);
    expect(received(await post(setup)).headers['idempotent-replayed']).toBe('true');
    expect(setup.calls).toHaveLength(1);
  });

  test('two apps using the same key are independent', async () => {
    setup = await setUp([createsOrder]);
    received(await post(setup, { app: 'app_one' }));
    const theirs = received(await post(setup, { app: 'app_two', body: '{"other":"payload"}' }));
    expect([theirs.status, theirs.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect(setup.calls).toHaveLength(2);
  });

  test("an upstream's own 500 is its answer: stored and replayed (as Stripe does)", async () => {
    setup = await setUp([
      (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/problem+json' });
        res.end('{"code":"internal_error"}');
      },
    ]);
    received(await post(setup));
    const retry = received(await post(setup));
    expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([500, 'true']);
    expect(setup.calls).toHaveLength(1);
  });

  test.each([429, 503])(
    "an upstream's %i is a 'not now': not stored, so the retry is forwarded",
    async (status) => {
      setup = await setUp([
        (_req, res) => {
          res.writeHead(status, { 'content-type': 'application/problem+json', 'retry-after': '1' });
          res.end('{"code":"rate_limited"}');
        },
        createsOrder,
      ]);
      expect(received(await post(setup)).status).toBe(status);
      const retry = received(await post(setup));
      expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([201, undefined]);
      expect(setup.calls).toHaveLength(2);
    },
  );

  test('a gateway-made 504 after the request reached the upstream is kept: the retry gets it, not a second act', async () => {
    setup = await setUp([
      // Answers only after the proxy's deadline.
      (_req, res) =>
        void setTimeout(() => {
          if (!res.destroyed) res.end();
        }, UPSTREAM_TIMEOUT_MS * 3).unref(),
      createsOrder,
    ]);
    const timedOut = received(await post(setup));
    expect([timedOut.status, problemCode(timedOut)]).toEqual([504, 'gateway_timeout']);
    expect(JSON.parse(timedOut.body.toString()).detail).toMatch(/may have taken effect/);
    const retry = received(await post(setup));
    expect([retry.status, retry.headers['idempotent-replayed'], problemCode(retry)]).toEqual([
      504,
      'true',
      'gateway_timeout',
    ]);
    expect(setup.calls).toHaveLength(1);
    expect(setup.outcomes[0]).toMatchObject({ kind: 'outcome_unknown', settled: { kind: 'stored' } });
  });

  test('a 502 before the request reached the upstream frees the key: the retry is forwarded', async () => {
    setup = await setUp([createsOrder]);
    const upstreamUrl = setup.upstream.baseUrl;
    setup.upstream.server.closeAllConnections();
    await setup.upstream.close();
    const refused = received(await post(setup));
    expect([refused.status, problemCode(refused)]).toEqual([502, 'bad_gateway']);
    // The same address again, now answering (tearDown closes it).
    setup.upstream = await startServer(
      async (req, res) => {
        setup!.calls.push(await readBody(req));
        createsOrder(req, res, Buffer.alloc(0));
      },
      { port: Number(new URL(upstreamUrl).port) },
    );
    const retry = received(await post(setup));
    expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect(setup.calls).toHaveLength(1);
  });

  test('a caller who leaves mid-request does not cut the forward: the answer is kept and replayed', async () => {
    const { handler, reachedUpstream, answer } = heldUpstream();
    setup = await setUp([handler, createsOrder]);
    const controller = new AbortController();
    let callerSocketClosed!: () => void;
    const gone = new Promise<void>((resolve) => (callerSocketClosed = resolve));
    setup.gateway.server.once('connection', (socket) => socket.once('close', () => callerSocketClosed()));
    const first = post(setup, { signal: controller.signal });
    await reachedUpstream;
    controller.abort();
    expect('error' in (await first)).toBe(true);
    // The gateway has seen the caller go before the upstream answers.
    await gone;
    await new Promise((resolve) => setImmediate(resolve));
    answer();
    // The key is still in flight until the upstream's answer is read to its end and stored.
    let retry = received(await post(setup));
    for (let i = 0; retry.status === 409 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      retry = received(await post(setup));
    }
    expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(setup.calls).toHaveLength(1);
  });

  test('an answer the upstream cut after it began is kept as a 502: the caller sees the cut, the retry the 502', async () => {
    setup = await setUp([
      (_req, res) => {
        res.writeHead(201, { 'content-length': '100' });
        res.write('{"id":"ord_1"');
        setTimeout(() => res.destroy(), 20).unref();
      },
      createsOrder,
    ]);
    expect('error' in (await post(setup))).toBe(true);
    const retry = received(await post(setup));
    expect([retry.status, retry.headers['idempotent-replayed'], problemCode(retry)]).toEqual([
      502,
      'true',
      'bad_gateway',
    ]);
    expect(JSON.parse(retry.body.toString()).detail).toMatch(/\(status 201\) broke off/);
    expect(setup.calls).toHaveLength(1);
    expect(setup.outcomes[0]).toMatchObject({ kind: 'forwarded', settled: { kind: 'stored' } });
  });

  test('a body over maxStoredBodyBytes reaches the caller whole but is not stored; the key is freed', async () => {
    const big = Buffer.alloc(MAX_STORED_BODY_BYTES * 4, 'b');
    setup = await setUp([(_req, res) => void res.writeHead(200).end(big)]);
    const first = received(await post(setup));
    expect(first.body.equals(big)).toBe(true);
    const retry = received(await post(setup));
    expect([retry.status, retry.headers['idempotent-replayed']]).toEqual([200, undefined]);
    expect(setup.calls).toHaveLength(2);
  });

  test('a malformed key is 400 naming the header, before anything reaches the upstream', async () => {
    setup = await setUp([createsOrder]);
    const response = received(await post(setup, { key: 'short' }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString())).toMatchObject({
      code: 'validation_failed',
      errors: [{ header: 'Idempotency-Key' }],
    });
    expect(setup.calls).toHaveLength(0);
  });
});
