// Upstreams that fail on demand, for the gateway's own failure answers: a port nobody listens on, and a server that
// answers, never answers, or drops the connection once it has the request — switchable while the gateway runs, and
// counting the requests that reached it (an open circuit must not send any).
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/** `ok`: 200 with an empty page; `hang`: reads the request and never answers; `reset`: closes the connection. */
export type UpstreamBehaviour = 'ok' | 'hang' | 'reset';

export interface FakeUpstream {
  origin: string;
  /** Requests that reached this upstream so far. */
  readonly requests: number;
  behave(behaviour: UpstreamBehaviour): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(behaviour: UpstreamBehaviour = 'ok'): Promise<FakeUpstream> {
  let current = behaviour;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    if (current === 'hang') return;
    if (current === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [], hasMore: false, nextCursor: null }));
  });
  const port = await listen(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    behave(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An origin on a loopback port that was free a moment ago and has nobody listening now (connect → ECONNREFUSED). */
export async function closedPortOrigin(): Promise<string> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
