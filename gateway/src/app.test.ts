// The gateway app end to end (real backends behind it, real HTTP): request ids, the body policy (413 by declared
// and by streamed size, 415, malformed JSON, a body where none is taken), HEAD, the operational endpoints,
// Idempotency-Key on orders, and usage metering into the control-plane store — on every store engine.
import http from 'node:http';
import net from 'node:net';
import { loadConfig } from '../../internal/src/config';
import { ID_PATTERN } from '../../internal/src/ids';
import { startTestPlatform, type TestCredential, type TestPlatform } from './testing/test-platform';

const ORDER = {
  customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB',
  currency: 'CNY',
  items: [
    {
      type: 'goods',
      sku: 'OMRON-U10',
      name: 'Omron U10 upper-arm blood pressure monitor',
      quantity: 2,
      unitPrice: { amount: 29900, currency: 'CNY' },
    },
  ],
  shippingAddress: {
    recipient: 'Zhang Min',
    phone: '+86 21 5555 0100',
    line1: '88 Huaihai Middle Road',
    city: 'Shanghai',
    province: 'Shanghai',
    postalCode: '200021',
    country: 'CN',
  },
};

/** A raw request, for what fetch cannot send (a lying Content-Length, chunked bodies without a length). */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers: Record<string, string>; chunks: Buffer[] },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(options.path, url), {
      method: options.method,
      headers: options.headers,
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts).toString() }),
      );
    });
    // The gateway may answer 413 and close while we are still sending: that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
    for (const chunk of options.chunks) req.write(chunk);
    req.end();
  });
}

const engines = (['sqlite', 'postgres'] as const).filter((e) => e === 'sqlite' || loadConfig().databaseUrl);
if (!loadConfig().databaseUrl) {
  describe.skip('gateway app [postgres] (skipped: DATABASE_URL is not set)', () => {
    test('runs on PostgreSQL', () => undefined);
  });
}

describe.each(engines)('gateway app [%s]', (dialect) => {
  let platform: TestPlatform;
  let caller: TestCredential;
  const auth = () => ({ authorization: `Bearer ${caller.apiKey}` });

  beforeAll(async () => {
    platform = await startTestPlatform({ dialect, env: { PORTICO_MAX_BODY_BYTES: '2048' } });
    caller = await platform.partner();
  });
  afterAll(() => platform.stop());

  test('every answer carries a fresh req_ id, quoted in problems too', async () => {
    const ok = await fetch(`${platform.gatewayUrl}/crm/v1/customers`, { headers: auth() });
    const refused = await fetch(`${platform.gatewayUrl}/crm/v1/customers`);
    const okId = ok.headers.get('x-request-id')!;
    const refusedId = refused.headers.get('x-request-id')!;
    expect(okId).toMatch(ID_PATTERN);
    expect(okId.startsWith('req_')).toBe(true);
    expect(refusedId).not.toBe(okId);
    expect(((await refused.json()) as { requestId: string }).requestId).toBe(refusedId);
    await ok.arrayBuffer();
  });

  test('a caller-sent X-Request-Id is replaced, never trusted', async () => {
    const res = await fetch(`${platform.gatewayUrl}/crm/v1/customers`, {
      headers: { ...auth(), 'x-request-id': 'req_forged' },
    });
    await res.arrayBuffer();
    expect(res.headers.get('x-request-id')).not.toBe('req_forged');
  });

  test('413 when Content-Length declares too much, before reading it', async () => {
    const res = await rawRequest(platform.gatewayUrl, {
      method: 'POST',
      path: '/crm/v1/customers',
      headers: { ...auth(), 'content-type': 'application/json', 'content-length': '5000' },
      chunks: [],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(res.headers.connection).toBe('close');
  });

  test('413 when a chunked body grows past the limit', async () => {
    const res = await rawRequest(platform.gatewayUrl, {
      method: 'POST',
      path: '/crm/v1/customers',
      headers: { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: [Buffer.from(`{"name":"${'x'.repeat(1500)}`), Buffer.from(`${'y'.repeat(1500)}"}`)],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'payload_too_large' });
  });

  test('415 for a body that is not JSON, 400 malformed_json for broken JSON, charset accepted', async () => {
    const post = (body: string, type: string) =>
      fetch(`${platform.gatewayUrl}/crm/v1/customers`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': type },
        body,
      });
    const text = await post('name=Jade', 'application/x-www-form-urlencoded');
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'unsupported_media_type' });
    // RFC 8259 §8.1: UTF-8 only; another charset would have the backend decode what the gateway did not validate.
    const utf16 = await post(
      JSON.stringify({ kind: 'organization', name: 'Jade' }),
      'application/json; charset=utf-16',
    );
    expect(utf16.status).toBe(415);
    await utf16.arrayBuffer();
    const broken = await post('{"kind": "organization",', 'application/json');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'malformed_json', errors: [{ pointer: '' }] });
    const ok = await post(
      JSON.stringify({ kind: 'organization', name: 'Jade' }),
      'application/json; charset=utf-8',
    );
    expect(ok.status).toBe(201);
    await ok.arrayBuffer();
  });

  test('a body sent to an operation that takes none is refused, not forwarded', async () => {
    const res = await rawRequest(platform.gatewayUrl, {
      method: 'GET',
      path: '/crm/v1/customers',
      headers: { ...auth(), 'content-type': 'application/json', 'content-length': '2' },
      chunks: [Buffer.from('{}')],
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'validation_failed', errors: [{ pointer: '' }] });
  });

  test("header fields past Node's limit get a problem+json 431 with a request id, not a bare status line", async () => {
    const res = await rawRequest(platform.gatewayUrl, {
      method: 'GET',
      path: '/crm/v1/customers',
      headers: { ...auth(), 'x-padding': 'x'.repeat(20_000) },
      chunks: [],
    });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'headers_too_large', status: 431 });
  });

  test("a refusal before authentication carries the per-address RateLimit policy; an app's 403 its own", async () => {
    const anonymous = await fetch(`${platform.gatewayUrl}/crm/v1/customers`);
    await anonymous.arrayBuffer();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('ratelimit-policy')).toMatch(/^"ip";q=\d+;w=1$/);
    const readOnly = await platform.partner({ keyScopes: ['crm:read'] });
    const forbidden = await fetch(`${platform.gatewayUrl}/crm/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'organization', name: 'Jade' }),
    });
    await forbidden.arrayBuffer();
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('ratelimit-policy')).toContain('"burst"');
    expect(forbidden.headers.get('ratelimit')).toBeTruthy();
  });

  test('HEAD runs the GET operation and sends no body', async () => {
    const res = await fetch(`${platform.gatewayUrl}/crm/v1/customers`, { method: 'HEAD', headers: auth() });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBeTruthy();
    expect(await res.text()).toBe('');
  });

  test('healthz, readyz and metrics answer without credentials; metrics count operations', async () => {
    const health = await fetch(`${platform.gatewayUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${platform.gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    const metrics = await fetch(`${platform.gatewayUrl}/metrics`);
    const text = await metrics.text();
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(
      /portico_gateway_requests_total\{api="crm",operation="listCustomers",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /portico_gateway_requests_total\{api="crm",operation="listCustomers",status="401"\} \d+/,
    );
  });

  test('Idempotency-Key on an order: one order, the answer replayed, another payload 422', async () => {
    const key = `order-${Date.now()}-abc`;
    const post = (body: unknown) =>
      fetch(`${platform.gatewayUrl}/orders/v1/orders`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const first = await post(ORDER);
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(ORDER);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    const other = await post({ ...ORDER, currency: 'USD' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'unprocessable' });

    const list = await fetch(`${platform.gatewayUrl}/orders/v1/orders?limit=100`, { headers: auth() });
    const orders = ((await list.json()) as { data: Array<{ id: string }> }).data;
    const id = (JSON.parse(firstBody) as { id: string }).id;
    expect(orders.filter((o) => o.id === id)).toHaveLength(1);
    expect(orders).toHaveLength(1);
  });

  test('a malformed Idempotency-Key is a 400 naming the header', async () => {
    const res = await fetch(`${platform.gatewayUrl}/orders/v1/orders`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'idempotency-key': 'short' },
      body: JSON.stringify(ORDER),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: Array<{ header?: string }> };
    expect(body.errors.some((e) => e.header === 'idempotency-key')).toBe(true);
  });

  test('usage is metered per app and operation once flushed, and logged without the query; refused credentials are not', async () => {
    const own = await platform.partner();
    const requestIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${platform.gatewayUrl}/crm/v1/customers?limit=${i + 1}`, {
        headers: { authorization: `Bearer ${own.apiKey}` },
      });
      requestIds.push(res.headers.get('x-request-id')!);
      await res.arrayBuffer();
    }
    const forged = await fetch(`${platform.gatewayUrl}/crm/v1/customers`, {
      headers: { authorization: `Bearer ${own.apiKey.slice(0, -1)}x` },
    });
    expect(forged.status).toBe(401);
    await forged.arrayBuffer();
    await platform.gateway.deps.meter.flush();
    const rows = await platform.store.db
      .selectFrom('usage_hourly')
      .select(['operation_id', 'status', 'count'])
      .where('app_id', '=', own.appId)
      .execute();
    expect(rows.map((r) => ({ ...r, count: Number(r.count) }))).toEqual([
      { operation_id: 'listCustomers', status: 200, count: 3 },
    ]);
    const logged = await platform.store.db
      .selectFrom('request_log')
      .select(['id', 'method', 'path', 'status'])
      .where('app_id', '=', own.appId)
      .orderBy('id')
      .execute();
    expect(logged.map((r) => ({ ...r, status: Number(r.status) }))).toEqual(
      requestIds.map((id) => ({ id, method: 'GET', path: '/crm/v1/customers', status: 200 })),
    );
  });
});

describe('graceful shutdown', () => {
  test('stops accepting, lets an in-flight request finish, then closes', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const upstreamReached = new Promise<void>((resolve) => (arrived = resolve));
    const slow = http.createServer((req, res) => {
      req.resume();
      release = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data":[],"hasMore":false,"nextCursor":null}');
      };
      arrived();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    const platform = await startTestPlatform({
      dialect: 'sqlite',
      upstreams: { crm: origin, orders: origin, entitlements: origin },
    });
    try {
      const caller = await platform.partner();
      const inFlight = fetch(`${platform.gatewayUrl}/crm/v1/customers`, {
        headers: { authorization: `Bearer ${caller.apiKey}` },
      });
      await upstreamReached;
      expect(platform.gateway.app.inFlight()).toBe(1);
      const stopped = platform.gateway.stop({ graceMs: 10_000 });
      // Not accepting any more: a new connection is refused while the first request is still being answered.
      await expect(fetch(`${platform.gatewayUrl}/healthz`)).rejects.toThrow();
      release();
      const res = await inFlight;
      expect(res.status).toBe(200);
      // Answered while draining: the client must not reuse this connection.
      expect(res.headers.get('connection')).toBe('close');
      await res.arrayBuffer();
      await stopped;
      expect(platform.gateway.app.inFlight()).toBe(0);
    } finally {
      await platform.stop();
      slow.close();
    }
  });
});

describe('graceful shutdown with a silent connection', () => {
  test('a connection that never sent a request does not hold stop() open', async () => {
    const platform = await startTestPlatform({ dialect: 'sqlite' });
    const socket = net.connect(Number(new URL(platform.gatewayUrl).port), '127.0.0.1');
    try {
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const closedByGateway = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await platform.gateway.stop({ graceMs: 60_000 });
      await closedByGateway;
      expect(socket.destroyed).toBe(true);
    } finally {
      socket.destroy();
      await platform.stop();
    }
  });
});

describe('the control-plane store away', () => {
  test('a key that was cached keeps working; one that was not gets 503, never a 401 that would call it invalid', async () => {
    const platform = await startTestPlatform({ dialect: 'sqlite' });
    try {
      const warm = await platform.partner();
      const cold = await platform.partner();
      const call = (key: string) =>
        fetch(`${platform.gatewayUrl}/crm/v1/customers`, { headers: { authorization: `Bearer ${key}` } });
      const first = await call(warm.apiKey);
      expect(first.status).toBe(200);
      await first.arrayBuffer();
      await platform.controlPlane.database.close();

      const cached = await call(warm.apiKey);
      expect(cached.status).toBe(200);
      await cached.arrayBuffer();
      const uncached = await call(cold.apiKey);
      expect(uncached.status).toBe(503);
      expect(uncached.headers.get('retry-after')).toBe('2');
      expect(await uncached.json()).toMatchObject({ code: 'service_unavailable' });
    } finally {
      await platform.stop();
    }
  });
});
