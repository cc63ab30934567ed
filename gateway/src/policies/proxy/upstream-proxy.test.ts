// Forwarding through real sockets: a node:http "gateway" calls the proxy, which talks to a node:http upstream.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { manualClock } from '../../../../internal/src/clock';
import { createUpstreamProxy, type UpstreamProxy } from './upstream-proxy';
import { call, silentLogger, startGateway, startUpstream, type TestUpstream } from './test-servers';

type Gateway = Awaited<ReturnType<typeof startGateway>>;
const closers: Array<() => Promise<void>> = [];

async function setUp(
  handler: Parameters<typeof startUpstream>[0],
  gatewayOptions: Parameters<typeof startGateway>[1] = {},
): Promise<{ upstream: TestUpstream; gateway: Gateway; proxy: UpstreamProxy }> {
  const upstream = await startUpstream(handler);
  const proxy = createUpstreamProxy({
    upstreams: { backend: { origin: upstream.origin, timeoutMs: 5_000 } },
    breaker: { failureThreshold: 2, coolDownMs: 1_000 },
    retry: { maxRetries: 1, backoffMs: 0 },
    clock: manualClock(),
    logger: silentLogger,
  });
  const gateway = await startGateway(proxy, gatewayOptions);
  closers.push(gateway.close, () => proxy.close(), upstream.close);
  return { upstream, gateway, proxy };
}

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('upstream proxy: forwarding', () => {
  test('streams a large chunked body: the caller gets the first chunk before the upstream writes the last', async () => {
    const events: string[] = [];
    let firstChunkSeen!: () => void;
    const seenByCaller = new Promise<void>((resolve) => (firstChunkSeen = resolve));
    const chunks = Array.from({ length: 64 }, () => randomBytes(64 * 1024));
    const { gateway } = await setUp(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: chunked
      res.write(chunks[0]);
      events.push('upstream wrote first');
      // If the proxy buffered, the caller would see nothing until the end; the fallback turns a hang into a failure.
      await Promise.race([seenByCaller, delay(5_000, undefined, { ref: false })]);
      for (const chunk of chunks.slice(1)) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      }
      events.push('upstream wrote last');
      res.end();
    });

    const received = await new Promise<{ status: number; digest: string; length: number; chunked: boolean }>(
      (resolve, reject) => {
        http
          .get(`${gateway.baseUrl}/stream`, { agent: false }, (res) => {
            const hash = createHash('sha256');
            let length = 0;
            res.on('data', (chunk: Buffer) => {
              if (length === 0) {
                events.push('caller got first');
                firstChunkSeen();
              }
              length += chunk.length;
              hash.update(chunk);
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                digest: hash.digest('hex'),
                length,
                chunked: res.headers['transfer-encoding'] === 'chunked',
              }),
            );
            res.on('error', reject);
          })
          .on('error', reject);
      },
    );

    const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    expect(received).toEqual({ status: 200, digest: expected, length: 64 * 64 * 1024, chunked: true });
    expect(events).toEqual(['upstream wrote first', 'caller got first', 'upstream wrote last']);
    expect(gateway.results).toEqual([{ status: 200, upstreamMs: expect.any(Number) }]);
  });

  test('forwards a POST body byte-exact, with a Content-Length undici computed', async () => {
    const body = randomBytes(256 * 1024);
    const { gateway, upstream } = await setUp((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const answer = await call(gateway.baseUrl, {
      method: 'POST',
      path: '/orders/v1/orders?dry_run=true',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.toString()).toBe('{"ok":true}');
    const seen = upstream.seen[0]!;
    expect([seen.method, seen.url]).toEqual(['POST', '/orders/v1/orders?dry_run=true']);
    expect(seen.body.equals(body)).toBe(true);
    expect(seen.headers['content-length']).toBe(String(body.length));
  });

  test('the upstream sees exactly the hygienic headers: no credentials, no forged identity, no hop-by-hop', async () => {
    const { gateway, upstream } = await setUp((_req, res) => res.end('ok'));
    await call(gateway.baseUrl, {
      path: '/crm/v1/customers',
      headers: {
        authorization: 'Bearer ptc_test_secret',
        'x-api-key': 'ptc_test_secret',
        cookie: 'session=abc',
        signature: 'sig1=:AAAA:',
        'signature-input': 'sig1=("@method");keyid="k"',
        'x-portico-identity': 'forged',
        'x-portico-partner-id': 'prt_victim',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'x-real-ip': '6.6.6.6',
        connection: 'keep-alive, x-hop',
        'x-hop': 'per-connection',
        te: 'trailers',
        via: '1.1 cdn',
        accept: 'application/json',
        'x-custom': 'kept',
      },
    });
    const { port } = new URL(upstream.origin);
    const gatewayHost = new URL(gateway.baseUrl).host;
    expect(upstream.seen[0]!.headers).toEqual({
      host: `127.0.0.1:${port}`,
      connection: 'keep-alive', // undici's own, for its pooled connection
      accept: 'application/json',
      'x-custom': 'kept',
      via: '1.1 cdn, 1.1 portico',
      forwarded: `for=127.0.0.1;proto=http;host="${gatewayHost}"`,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': gatewayHost,
      'x-request-id': 'req_test0001',
      'x-portico-identity': 'eyJ.identity.jwt',
    });
  });

  test('response hygiene: hop-by-hop fields dropped, the rest untouched, the gateway’s own headers win', async () => {
    const { gateway } = await setUp(
      (_req, res) => {
        res.setHeader('x-upstream-hop', 'per-connection');
        res.setHeader('connection', 'keep-alive, x-upstream-hop');
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.setHeader('x-request-id', 'req_fromupstream');
        res.setHeader('etag', '"v1"');
        res.end('body');
      },
      { beforeForward: (res) => res.setHeader('x-request-id', 'req_test0001') },
    );
    const answer = await call(gateway.baseUrl);
    expect(answer.headers['x-upstream-hop']).toBeUndefined();
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers.etag).toBe('"v1"');
    expect(answer.headers['x-request-id']).toBe('req_test0001');
    expect(answer.body.toString()).toBe('body');
  });

  test('Expect: 100-continue from the caller does not break forwarding (undici refuses Expect)', async () => {
    const { gateway, upstream } = await setUp((_req, res) => {
      res.writeHead(201);
      res.end();
    });
    const answer = await call(gateway.baseUrl, {
      method: 'POST',
      headers: { expect: '100-continue', 'content-type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    expect(answer.status).toBe(201);
    expect(upstream.seen[0]!.body.toString()).toBe('{"name":"Ada"}');
    expect(upstream.seen[0]!.headers.expect).toBeUndefined();
  });

  test('a backend’s 4xx and 5xx pass through untouched and never open the circuit', async () => {
    const { gateway, proxy } = await setUp((req, res) => {
      const status = req.url === '/missing' ? 404 : 503;
      res.writeHead(status, { 'content-type': 'application/problem+json', 'retry-after': '30' });
      res.end(JSON.stringify({ code: `backend_${status}` }));
    });
    expect(await call(gateway.baseUrl, { path: '/missing' })).toMatchObject({
      status: 404,
      body: Buffer.from('{"code":"backend_404"}'),
    });
    for (let i = 0; i < 3; i++) {
      const answer = await call(gateway.baseUrl, { path: '/down' });
      expect([answer.status, answer.headers['retry-after'], answer.body.toString()]).toEqual([
        503,
        '30',
        '{"code":"backend_503"}',
      ]);
    }
    expect(proxy.circuitState('backend')).toBe('closed');
  });

  test('reuses keep-alive connections to the upstream', async () => {
    const { gateway, upstream } = await setUp((_req, res) => res.end('ok'));
    const sockets = new Set<unknown>();
    upstream.server.on('connection', (socket) => sockets.add(socket));
    for (let i = 0; i < 5; i++) await call(gateway.baseUrl);
    expect(sockets.size).toBe(1);
  });

  test('an upstream that breaks off mid-body: forward does not throw, the caller’s response is cut', async () => {
    const { gateway } = await setUp((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100), () => req.socket.destroy());
    });
    const outcome = await new Promise<{ status: number; complete: boolean }>((resolve) => {
      http.get(`${gateway.baseUrl}/`, { agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? 0, complete: res.complete }));
      });
    });
    expect(outcome).toEqual({ status: 200, complete: false });
    await waitFor(() => gateway.results.length === 1);
    expect(gateway.results).toEqual([{ status: 200, upstreamMs: expect.any(Number) }]);
  });

  test('a caller that leaves mid-body makes the proxy abort the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closedUpstream = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const { gateway } = await setUp((_req, res) => {
      res.on('close', () => upstreamClosed());
      res.writeHead(200);
      res.write('first'); // and nothing more until the connection goes
    });
    const request = http.get(`${gateway.baseUrl}/`, { agent: false }, (res) => {
      res.once('data', () => request.destroy());
    });
    request.on('error', () => undefined);
    await closedUpstream; // would hang (and time out) if the upstream request stayed open
    await waitFor(() => gateway.results.length === 1);
    expect(gateway.results[0]!.status).toBe(200);
  });

  test('an unknown upstream is a programming error, not a 5xx problem', async () => {
    const { proxy } = await setUp((_req, res) => res.end());
    await expect(
      proxy.forward(new http.ServerResponse(new http.IncomingMessage(null as never)), {
        upstream: 'nope',
        method: 'GET',
        path: '/',
        headers: {},
      }),
    ).rejects.toThrow("unknown upstream 'nope'");
  });
});

/** Polls a condition set by another socket's events (no fixed sleep decides the outcome). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await delay(5);
}
