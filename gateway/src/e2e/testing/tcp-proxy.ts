// A TCP proxy (node:net) between the gateways and Redis, so a test can slow Redis down, cut it away and bring it
// back without touching the Redis other suites share. Two ways to cut, the two ways Redis goes away in production:
// - `refuse`: as a Redis that died — open connections are reset and new ones closed at once;
// - `blackhole`: as a network partition or a hung Redis — connections stay open, nothing comes back.
// restore() resets whatever the blackhole held (the partition outlived TCP), and forwards new connections again.
import net, { type AddressInfo, type Socket } from 'node:net';

export type CutMode = 'refuse' | 'blackhole';

export interface TcpProxy {
  /** The target URL with this proxy's host and port (credentials, database and options kept). */
  url: string;
  /** Delays every chunk this long in each direction (a round trip takes twice as long). 0: none. */
  setLatency(ms: number): void;
  cut(mode: CutMode): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Blackholed: the upstream is gone and the client's bytes are dropped. */
  held: boolean;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 6379);
  let state: 'open' | CutMode = 'open';
  let latencyMs = 0;
  const pairs = new Set<Pair>();
  const held = new Set<Socket>();

  const hold = (client: Socket) => {
    held.add(client);
    // Read and drop: the client's writes succeed and its commands are never answered.
    client.on('data', () => undefined);
    client.on('close', () => held.delete(client));
  };

  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (state === 'refuse') {
      client.destroy();
      return;
    }
    if (state === 'blackhole') {
      hold(client);
      return;
    }
    const upstream = net.connect(targetPort, target.hostname);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream, held: false };
    pairs.add(pair);
    // Equal delays keep the order: timers of the same duration fire in the order they were set.
    const relay = (to: Socket) => (chunk: Buffer) => {
      if (pair.held) return;
      if (latencyMs === 0) to.write(chunk);
      else {
        setTimeout(() => {
          if (!pair.held && !to.destroyed) to.write(chunk);
        }, latencyMs);
      }
    };
    client.on('data', relay(upstream));
    upstream.on('data', relay(client));
    client.on('close', () => {
      pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on('close', () => {
      if (pair.held) return;
      pairs.delete(pair);
      client.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  return {
    url: url.href,
    setLatency(ms) {
      latencyMs = ms;
    },
    cut(mode) {
      state = mode;
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        if (mode === 'refuse') {
          pair.client.destroy();
          pair.upstream.destroy();
          continue;
        }
        // Whatever Redis would still answer is lost with the partition; the client is left waiting.
        pair.held = true;
        pair.upstream.destroy();
        hold(pair.client);
      }
    },
    restore() {
      state = 'open';
      for (const client of [...held]) client.destroy();
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        for (const client of held) client.destroy();
        server.close(() => resolve());
      }),
  };
}
