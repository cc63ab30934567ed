// Test-only: mounts endpoint handlers on a real node:http server on port 0, the way app.ts does (read the body
// once, call the handler, write what it returns), so the tests speak HTTP to them.
import type { IncomingMessage } from 'node:http';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import type { EndpointRequest, EndpointResponse } from '../endpoint';

export type Handler = (request: EndpointRequest) => Promise<EndpointResponse>;

export async function serveEndpoints(routes: Record<string, Handler>): Promise<RunningServer> {
  let count = 0;
  return startServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const handler = routes[path];
      const body = await readBody(req);
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      count += 1;
      const answer = await handler({
        method: req.method ?? 'GET',
        headers: req.headers,
        body,
        requestId: `req_test${count}`,
        url: req.url ?? '/',
      });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch((error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
