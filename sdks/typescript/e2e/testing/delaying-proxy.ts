// A TCP proxy between the gateway and a backend that makes the backend slow to answer after it has acted: it relays
// bytes untouched both ways, reads the HTTP/1.1 framing to record each exchange, and for one chosen request
// forwards it at once (the backend acts on it) but holds the backend's whole answer back for a while before
// relaying it — or throws it away if the gateway gave up waiting in the meantime.
import net, { type AddressInfo, type Socket } from 'node:net';
import { MessageFramer, type MessageHead } from './http-framing';

export interface BackendExchange {
  method: string;
  /** The request target as the gateway sent it: path and query. */
  target: string;
  /** Request header fields, lowercase names. */
  headers: Record<string, string>;
  /** The backend's status, once its whole answer arrived here. */
  status: number | undefined;
  /** This answer was (or is being) held back. */
  held: boolean;
}

export interface HeldAnswer {
  /**
   * Settles when the hold is over and the backend's whole answer had arrived: `relayed` when the gateway was still
   * waiting and got it, false when the gateway had left (its connection closed) and the answer was thrown away.
   */
  released: Promise<{ status: number | undefined; relayed: boolean }>;
}

export type RequestMatcher = (request: { method: string; target: string }) => boolean;

export interface DelayingProxy {
  /** `http://127.0.0.1:<port>`: the origin the gateway is to use for the backend. */
  url: string;
  /** Relays to this origin from now on (the backend's, once it listens); connections before are refused. */
  setTarget(origin: string): void;
  /** Every request seen, in arrival order. */
  readonly exchanges: readonly BackendExchange[];
  /** The next request that matches is forwarded at once, its answer relayed `holdMs` after it arrived (once). */
  holdNextAnswer(matches: RequestMatcher, holdMs: number): HeldAnswer;
  close(): Promise<void>;
}

interface Hold {
  holdMs: number;
  resolve(outcome: { status: number | undefined; relayed: boolean }): void;
}

export async function startDelayingProxy(): Promise<DelayingProxy> {
  let target: URL | undefined;
  const exchanges: BackendExchange[] = [];
  const sockets = new Set<Socket>();
  // Every hold not yet released, so that close() can settle it and clear its timer.
  const pending = new Set<() => void>();
  let armed: { matches: RequestMatcher; hold: Hold } | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const server = net.createServer((gateway) => {
    track(gateway);
    if (!target) {
      gateway.destroy();
      return;
    }
    const backend = net.connect(Number(target.port), target.hostname);
    track(backend);
    // Answers come back in request order on one connection (undici sends one request at a time on it).
    const awaitingAnswer: BackendExchange[] = [];
    let gatewayGone = false;
    let backendGone = false;
    /** The answer being held on this connection: its bytes, and whether it is complete and its time is up. */
    let holding:
      | { exchange: BackendExchange; hold: Hold; chunks: Buffer[]; complete: boolean; timeUp: boolean }
      | undefined;

    const releaseIfDue = () => {
      if (!holding || !holding.complete || !holding.timeUp) return;
      const { exchange, hold, chunks } = holding;
      holding = undefined;
      const relayed = !gatewayGone && !gateway.destroyed;
      if (relayed) for (const chunk of chunks) gateway.write(chunk);
      else backend.destroy();
      if (backendGone) gateway.end();
      hold.resolve({ status: exchange.status, relayed });
    };

    const requests = new MessageFramer('request', {
      onHead(head) {
        const exchange = exchangeOf(head);
        exchanges.push(exchange);
        awaitingAnswer.push(exchange);
        if (!armed?.matches({ method: exchange.method, target: exchange.target })) return;
        const { hold } = armed;
        armed = undefined;
        exchange.held = true;
        const state = { exchange, hold, chunks: [] as Buffer[], complete: false, timeUp: false };
        holding = state;
        const timer = setTimeout(() => {
          pending.delete(abandon);
          state.timeUp = true;
          releaseIfDue();
        }, hold.holdMs);
        const abandon = () => {
          clearTimeout(timer);
          hold.resolve({ status: exchange.status, relayed: false });
        };
        pending.add(abandon);
      },
    });
    const responses = new MessageFramer('response', {
      onMessage({ head }) {
        const exchange = awaitingAnswer.shift();
        if (!exchange) return;
        exchange.status = Number(head.startLine.split(' ')[1]);
        if (holding?.exchange === exchange) {
          holding.complete = true;
          releaseIfDue();
        }
      },
    });

    gateway.on('data', (chunk: Buffer) => {
      backend.write(chunk);
      requests.push(chunk);
    });
    backend.on('data', (chunk: Buffer) => {
      if (holding && awaitingAnswer[0] === holding.exchange) holding.chunks.push(chunk);
      else gateway.write(chunk);
      responses.push(chunk);
    });
    // A gateway that gives up does not take the backend's answer with it: the held answer is still read to its end.
    gateway.on('close', () => {
      gatewayGone = true;
      if (!holding) backend.destroy();
    });
    backend.on('close', () => {
      backendGone = true;
      responses.end();
      if (!holding) {
        gateway.destroy();
        return;
      }
      // Whatever arrived of the held answer is all there will be.
      holding.complete = true;
      releaseIfDue();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTarget(origin) {
      target = new URL(origin);
    },
    exchanges,
    holdNextAnswer(matches, holdMs) {
      let resolve!: Hold['resolve'];
      const released = new Promise<{ status: number | undefined; relayed: boolean }>((r) => (resolve = r));
      armed = { matches, hold: { holdMs, resolve } };
      return { released };
    },
    close: () =>
      new Promise<void>((resolve) => {
        armed = undefined;
        for (const abandon of pending) abandon();
        pending.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function exchangeOf(head: MessageHead): BackendExchange {
  const [method = '', target = ''] = head.startLine.split(' ');
  return { method, target, headers: head.headers, status: undefined, held: false };
}
