// One HTTP request from a test to a running server over node:http, with the status, headers, body and the latency
// the caller saw. node:http rather than fetch: a signed request must send exactly the Host it signed (RFC 9421
// `@authority`), and fetch sets Host from the URL.
import http, { type IncomingHttpHeaders } from 'node:http';

export interface SendInput {
  method?: string;
  /** Header names as sent; a `host` here replaces the one derived from the URL. */
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
}

export interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** From the request being handed to node:http to the last byte of the answer. */
  latencyMs: number;
  /** When the request was sent, on the performance.now() time line. */
  startedAtMs: number;
  json<T = Record<string, unknown>>(): T;
}

export function send(url: string | URL, input: SendInput = {}): Promise<Sent> {
  const target = typeof url === 'string' ? new URL(url) : url;
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const headers: Record<string, string> = { ...input.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const startedAtMs = performance.now();
  return new Promise<Sent>((resolve, reject) => {
    const request = http.request(target, { method: input.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text,
          latencyMs: performance.now() - startedAtMs,
          startedAtMs,
          json: <T>() => JSON.parse(text) as T,
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A problem document without the members that differ per request by design (RFC 9457 body, our `requestId`). */
export function problemShape(sent: Sent): Record<string, unknown> {
  const { requestId: _requestId, ...rest } = sent.json();
  return rest;
}
