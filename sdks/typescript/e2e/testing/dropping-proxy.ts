// A TCP proxy between the SDK and the gateway that can lose an answer the way a network does: it relays bytes
// untouched both ways, reads the HTTP/1.1 framing to record each exchange, and for one chosen request forwards it,
// waits until the gateway's whole response has arrived, then destroys the client's connection without relaying a
// byte of it — so the client sees a connection error after the gateway acted.
import net, { type AddressInfo, type Socket } from 'node:net';
import { MessageFramer, type MessageHead } from './http-framing';

export interface Exchange {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  /** Request header fields, lowercase names. */
  headers: Record<string, string>;
  /** The request exactly as it crossed the proxy (set once the whole request arrived). */
  requestBytes: Buffer | undefined;
  /** The gateway's answer as the proxy received it (set once the whole response arrived). */
  response: { status: number; headers: Record<string, string>; body: Buffer } | undefined;
  /** The gateway's answer reached the proxy and was thrown away with the client's connection. */
  dropped: boolean;
}

export type RequestMatcher = (request: { method: string; target: string }) => boolean;

export interface DroppingProxy {
  /** `http://127.0.0.1:<port>`: give it to the SDK as its baseUrl. */
  url: string;
  /** Every request seen, in arrival order. */
  readonly exchanges: readonly Exchange[];
  /** The next request that matches gets its answer dropped (once); every other is relayed. */
  dropNextAnswer(matches: RequestMatcher): void;
  close(): Promise<void>;
}

export async function startDroppingProxy(targetUrl: string): Promise<DroppingProxy> {
  const target = new URL(targetUrl);
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();
  let armed: RequestMatcher | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    // Answers come back in request order on one connection (HTTP/1.1, no pipelining from fetch).
    const awaitingAnswer: Exchange[] = [];
    let current: Exchange | undefined;

    const requests = new MessageFramer('request', {
      onHead(head) {
        current = exchangeOf(head);
        if (armed?.({ method: current.method, target: current.target })) {
          current.dropped = true;
          armed = undefined;
        }
        exchanges.push(current);
        awaitingAnswer.push(current);
      },
      onMessage(message) {
        if (current) current.requestBytes = message.raw;
      },
    });
    const responses = new MessageFramer('response', {
      onMessage({ head, body }) {
        const exchange = awaitingAnswer.shift();
        if (!exchange) return;
        exchange.response = { status: Number(head.startLine.split(' ')[1]), headers: head.headers, body };
        if (exchange.dropped) {
          // The gateway answered in full; the client never hears of it.
          client.destroy();
          upstream.destroy();
        }
      },
    });

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      requests.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!awaitingAnswer[0]?.dropped) client.write(chunk);
      responses.push(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      responses.end();
      client.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    dropNextAnswer(matches) {
      armed = matches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function exchangeOf(head: MessageHead): Exchange {
  const [method = '', target = ''] = head.startLine.split(' ');
  return {
    method,
    target,
    headers: head.headers,
    requestBytes: undefined,
    response: undefined,
    dropped: false,
  };
}
