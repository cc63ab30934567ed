// A recording forwarder between the gateway and one backend: every request the backend is sent is noted (method,
// target, headers) and passed on unchanged, so the acceptance matrix can prove what reached the backends — and what
// did not — without touching the gateway or the backend.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The request target as the backend received it (path and query). */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface RecordingProxy {
  /** The origin to give the gateway as this backend's upstream. */
  origin: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** RFC 9110 §7.6.1: connection-specific fields belong to one hop and are not passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export async function startRecordingProxy(targetOrigin: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const target = new URL(targetOrigin);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers } });
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = target.host;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const back: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) back[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
