// captureResponse and writeReplay on real node:http servers: the capture changes nothing the caller gets and
// sees every way of writing a response; a replay is the stored status and bytes with this request's own headers.
import http, { type ServerResponse } from 'node:http';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { captureResponse } from './capture-response';
import type { CapturedResponse, StoredResponse } from './stored-response';
import { received, send } from './testing/http';
import { writeReplay } from './write-replay';

/** A server whose only handler is `handler`, and what finish() returned for each request. */
async function serve(
  handler: (res: ServerResponse, done: () => void) => void,
  maxBytes = 1024,
): Promise<RunningServer & { captured: Promise<CapturedResponse | undefined> }> {
  let resolveCaptured!: (captured: CapturedResponse | undefined) => void;
  const captured = new Promise<CapturedResponse | undefined>((resolve) => (resolveCaptured = resolve));
  const running = await startServer((_req, res) => {
    const capture = captureResponse(res, maxBytes);
    handler(res, () => resolveCaptured(capture.finish()));
  });
  return { ...running, captured };
}

describe('captureResponse', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    running?.server.closeAllConnections();
    await running?.close();
    running = undefined;
  });

  test('sees setHeader, writeHead with headers, and string/Buffer writes, while the caller gets the same', async () => {
    const server = await serve((res, done) => {
      res.setHeader('X-Set-Before', 'early');
      res.writeHead(201, 'Made', { 'X-Multi': ['1', '2'], 'Content-Type': 'text/plain; charset=utf-8' });
      res.write('héllo ', 'utf8');
      res.write(Buffer.from('wörld '));
      res.write('aGk=', 'base64');
      res.end(() => done());
    });
    running = server;
    const response = received(await send(server.baseUrl));
    const captured = await server.captured;

    expect(response.status).toBe(201);
    expect(response.statusMessage).toBe('Made');
    expect(response.body.toString()).toBe('héllo wörld hi');
    expect(captured).toEqual({
      status: 201,
      headers: {
        'x-set-before': 'early',
        'x-multi': ['1', '2'],
        'content-type': 'text/plain; charset=utf-8',
      },
      body: response.body,
    });
  });

  test('sees the implicit head of write()/end() and writeHead with a flat header list', async () => {
    const implicit = await serve((res, done) => {
      res.statusCode = 202;
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('{"ok":true}', done);
    });
    running = implicit;
    const response = received(await send(implicit.baseUrl));
    expect(await implicit.captured).toEqual({
      status: 202,
      headers: { 'set-cookie': ['a=1', 'b=2'] },
      body: response.body,
    });
    implicit.server.closeAllConnections();
    await implicit.close();

    const flat = await serve((res, done) => {
      res.writeHead(200, ['X-Flat', 'f', 'Set-Cookie', 'c=3', 'Set-Cookie', 'd=4']);
      res.end(done);
    });
    running = flat;
    received(await send(flat.baseUrl));
    expect(await flat.captured).toEqual({
      status: 200,
      headers: { 'x-flat': 'f', 'set-cookie': ['c=3', 'd=4'] },
      body: Buffer.alloc(0),
    });
  });

  test('reports undefined for a body over maxBytes, yet the caller gets every byte', async () => {
    const big = Buffer.alloc(5_000, 'z');
    const server = await serve((res, done) => {
      res.write(big.subarray(0, 1_000));
      res.end(big.subarray(1_000), done);
    }, 4_999);
    running = server;
    const response = received(await send(server.baseUrl));
    expect(response.body.equals(big)).toBe(true);
    expect(await server.captured).toBeUndefined();
  });

  test('reports undefined for a response that was cut before end()', async () => {
    const server = await serve((res, done) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
      res.once('close', done);
      res.destroy();
    });
    running = server;
    expect('error' in (await send(server.baseUrl))).toBe(true);
    expect(await server.captured).toBeUndefined();
  });

  test('finish() puts the methods back: what is written afterwards is not captured', async () => {
    let restored: unknown[] = [];
    let capturedAfter: CapturedResponse | undefined | 'unset' = 'unset';
    running = await startServer((_req, res) => {
      const capture = captureResponse(res, 1024);
      capture.finish();
      restored = [res.writeHead, res.write, res.end];
      res.end('a problem document');
      capturedAfter = capture.finish();
    });
    received(await send(running.baseUrl));
    const { prototype } = http.ServerResponse;
    expect(restored).toEqual([prototype.writeHead, prototype.write, prototype.end]);
    expect(capturedAfter).toBeUndefined();
  });
});

describe('writeReplay', () => {
  const agent = new http.Agent({ keepAlive: true });
  let running: RunningServer | undefined;
  afterAll(() => agent.destroy());
  afterEach(async () => {
    running?.server.closeAllConnections();
    await running?.close();
  });

  async function replayed(stored: StoredResponse, before?: (res: ServerResponse) => void) {
    running = await startServer((_req, res) => {
      before?.(res);
      writeReplay(res, stored, 'req_new');
    });
    return received(await send(running.baseUrl, { method: 'POST', agent }));
  }

  test('writes the stored status and bytes; drops hop-by-hop and per-request headers; keeps Set-Cookie', async () => {
    const body = Buffer.from('{"id":"ord_1"}');
    const response = await replayed(
      {
        status: 201,
        headers: {
          'content-type': 'application/json',
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
          'x-order-id': 'ord_1',
          'transfer-encoding': 'chunked',
          upgrade: 'h2c',
          'keep-alive': 'timeout=99',
          'content-length': '999',
          'x-request-id': 'req_old',
          ratelimit: '"burst";r=1;t=1',
        },
        body,
      },
      (res) => res.setHeader('RateLimit-Policy', '"burst";q=50;w=1'),
    );
    expect(response.status).toBe(201);
    expect(response.body.equals(body)).toBe(true);
    expect(response.headers).toMatchObject({
      'content-type': 'application/json',
      'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      'x-order-id': 'ord_1',
      'content-length': String(body.length),
      'x-request-id': 'req_new',
      'idempotent-replayed': 'true',
      'ratelimit-policy': '"burst";q=50;w=1',
    });
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(response.headers.upgrade).toBeUndefined();
    expect(response.headers.ratelimit).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
  });

  test("headers this request already has win over the stored ones (this request's RateLimit)", async () => {
    const response = await replayed(
      { status: 200, headers: { ratelimit: 'old', 'x-other': 'stored' }, body: Buffer.from('x') },
      (res) => {
        res.setHeader('RateLimit', '"burst";r=9;t=1');
        res.setHeader('X-Other', 'fresh');
      },
    );
    expect([response.headers.ratelimit, response.headers['x-other']]).toEqual(['"burst";r=9;t=1', 'fresh']);
  });

  test('a stored 204 is replayed without a body or Content-Length (RFC 9110 §8.6)', async () => {
    const response = await replayed({ status: 204, headers: {}, body: Buffer.alloc(0) });
    expect(response.status).toBe(204);
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.headers['idempotent-replayed']).toBe('true');
  });
});
