// Test scaffolding for the proxy: real node:http upstreams on port 0 that record what they saw, a minimal gateway
// in front of the proxy (reads the body once, applies header hygiene, renders the proxy's problems), and a client.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../../../internal/src/logger';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { buildUpstreamHeaders } from './header-hygiene';
import type { ForwardResult, UpstreamProxy } from './upstream-proxy';

export const silentLogger = createLogger({ level: 'silent' });

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface TestUpstream extends RunningServer {
  origin: string;
  seen: SeenRequest[];
}

/** An upstream that records every request (body read in full) before handing it to `handler`. */
export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => unknown,
  options: { port?: number } = {},
): Promise<TestUpstream> {
  const seen: SeenRequest[] = [];
  const running = await startServer(
    async (req, res) => {
      const body = await readBody(req);
      const record = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(record);
      await handler(req, res, record);
    },
    { port: options.port ?? 0 },
  );
  return {
    ...running,
    origin: running.baseUrl,
    seen,
    close: () => {
      // Held-open requests (a "slow" upstream) must not keep the test waiting.
      running.server.closeAllConnections();
      return running.close();
    },
  };
}

/** A port nothing listens on (connect → ECONNREFUSED), free for a test to listen on later. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const IDENTITY = { name: 'X-Portico-Identity', value: 'eyJ.identity.jwt' };

/** The gateway side of the tests: what the app will do around forward(), reduced to the essentials. */
export async function startGateway(
  proxy: UpstreamProxy,
  options: { upstream?: string; beforeForward?: (res: ServerResponse) => void } = {},
): Promise<RunningServer & { results: ForwardResult[] }> {
  const results: ForwardResult[] = [];
  const running = await startServer(async (req, res) => {
    const body = await readBody(req);
    const headers = buildUpstreamHeaders(req.headers, {
      requestId: 'req_test0001',
      clientAddress: req.socket.remoteAddress,
      protocol: 'http',
      httpVersion: req.httpVersion,
      identity: IDENTITY,
    });
    options.beforeForward?.(res);
    const idempotencyKey = req.headers['idempotency-key'];
    try {
      const result = await proxy.forward(res, {
        upstream: options.upstream ?? 'backend',
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers,
        ...(body.length > 0 ? { body } : {}),
        ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
      });
      results.push(result);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      res.writeHead(error.status, { 'content-type': 'application/problem+json', ...error.options.headers });
      res.end(JSON.stringify({ code: error.code, status: error.status, detail: error.detail }));
    }
  });
  return { ...running, results };
}

export interface CallResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A plain node:http client (undici refuses Expect, and the tests need to send one). */
export function call(
  baseUrl: string,
  request: {
    method?: string;
    path?: string;
    headers?: http.OutgoingHttpHeaders;
    body?: Buffer | string;
  } = {},
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${request.path ?? '/'}`,
      { method: request.method ?? 'GET', headers: request.headers, agent: false },
      (res) => {
        readBody(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
          reject,
        );
      },
    );
    req.on('error', reject);
    const expectsContinue = String(request.headers?.expect ?? '').toLowerCase() === '100-continue';
    // With Expect: 100-continue the body waits for the server's interim 100 (RFC 9110 §10.1.1).
    if (expectsContinue) req.on('continue', () => req.end(request.body));
    else req.end(request.body);
  });
}

export async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
