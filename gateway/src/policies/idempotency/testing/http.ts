// Test scaffolding over real node:http: a plain client that reports a cut response instead of throwing, and
// a body reader.
import http from 'node:http';

export interface Received {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Sent = Received | { error: Error };

export function send(
  baseUrl: string,
  request: {
    method?: string;
    path?: string;
    headers?: http.OutgoingHttpHeaders;
    body?: string | Buffer;
    agent?: http.Agent;
    /** Aborting destroys the connection: the caller leaving mid-request. */
    signal?: AbortSignal;
  } = {},
): Promise<Sent> {
  return new Promise((resolve) => {
    const req = http.request(
      `${baseUrl}${request.path ?? '/'}`,
      {
        method: request.method ?? 'POST',
        headers: request.headers,
        agent: request.agent ?? false,
        ...(request.signal ? { signal: request.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => resolve({ error }));
        res.on('aborted', () => resolve({ error: new Error('response aborted') }));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusMessage: res.statusMessage ?? '',
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.end(request.body);
  });
}

/** The response, or a failed test if the exchange was cut. */
export function received(sent: Sent): Received {
  if ('error' in sent) throw new Error(`expected a complete response, got ${sent.error.message}`);
  return sent;
}

export async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
