// Tees what the proxy writes into a ServerResponse (setHeader/writeHead, write, end) so that the first answer to
// an Idempotency-Key can be stored, without changing a byte or a return value of what the caller gets (write()'s
// backpressure signal included).
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { replayableHeaders, type CapturedResponse } from './stored-response';

export interface ResponseCapture {
  /**
   * Stops capturing, puts `res`'s methods back, and returns the response if `res.end()` was called: the upstream
   * answered in full (whether or not the caller's socket took it all). Undefined when the body exceeded `maxBytes`
   * or the response never ended (the upstream broke off, or the caller left and the proxy aborted).
   */
  finish(): CapturedResponse | undefined;
  /** The response had begun (its head was written) but never ended: the upstream broke off mid-answer. */
  brokeOff(): boolean;
}

export function captureResponse(res: ServerResponse, maxBytes: number): ResponseCapture {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end };
  let head: { status: number; headers: Record<string, OutgoingHttpHeader | undefined> } | undefined;
  let chunks: Buffer[] = [];
  let bytes = 0;
  let overflowed = false;
  let ended = false;
  let capturing = true;

  const record = (chunk: unknown, encoding: unknown) => {
    if (!capturing || overflowed || chunk === undefined || chunk === null || typeof chunk === 'function')
      return;
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array);
    bytes += buffer.length;
    if (bytes > maxBytes) {
      // Too large to store: stop holding memory for it, the caller still gets every byte.
      overflowed = true;
      chunks = [];
      return;
    }
    chunks.push(buffer);
  };

  // Node calls `this.writeHead(this.statusCode)` itself when write() or end() comes first, so this sees every
  // response head. Headers passed to writeHead are not always merged into getHeaders(), so they are read here.
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const result = (original.writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    if (capturing && head === undefined) {
      const passed = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null);
      head = { status: this.statusCode, headers: { ...headerObject(passed), ...this.getHeaders() } };
    }
    return result;
  } as ServerResponse['writeHead'];

  // Arguments are passed on exactly as given: write/end accept (chunk, encoding?, callback?) and end(callback).
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    record(args[0], args[1]);
    return (original.write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    record(args[0], args[1]);
    const result = (original.end as (...a: unknown[]) => ServerResponse).apply(this, args);
    if (capturing) ended = true;
    return result;
  } as ServerResponse['end'];

  return {
    finish() {
      if (capturing) {
        capturing = false;
        res.writeHead = original.writeHead;
        res.write = original.write;
        res.end = original.end;
      }
      if (!ended || overflowed || head === undefined) return undefined;
      return { status: head.status, headers: replayableHeaders(head.headers), body: Buffer.concat(chunks) };
    },
    brokeOff: () => head !== undefined && !ended,
  };
}

/** writeHead's headers argument: an object, or an array of [name, value] pairs or a flat name, value list. */
function headerObject(passed: unknown): Record<string, OutgoingHttpHeader> {
  if (!Array.isArray(passed)) return lowerCased((passed as OutgoingHttpHeaders | undefined) ?? {});
  const out: Record<string, OutgoingHttpHeader> = {};
  const add = (name: unknown, value: unknown) => {
    const lower = String(name).toLowerCase();
    const previous = out[lower];
    const next = String(value);
    out[lower] =
      previous === undefined ? next : [...(Array.isArray(previous) ? previous : [String(previous)]), next];
  };
  if (Array.isArray(passed[0])) for (const pair of passed as unknown[][]) add(pair[0], pair[1]);
  else for (let i = 0; i + 1 < passed.length; i += 2) add(passed[i], passed[i + 1]);
  return out;
}

function lowerCased(headers: OutgoingHttpHeaders): Record<string, OutgoingHttpHeader> {
  const out: Record<string, OutgoingHttpHeader> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}
