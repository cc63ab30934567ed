// Starts an HTTP server for an app on a port (0 = any free port) and returns its address and a close function
// that stops accepting, lets in-flight requests finish and drops idle keep-alive connections.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface RunningServer {
  baseUrl: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

export async function startServer(
  app: RequestListener,
  options: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer(app);
  // Keep-alive connections from a proxy outlive a request; closing them when idle lets shutdown finish.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `http://${urlHost}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
