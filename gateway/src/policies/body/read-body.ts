// Reads a request body once, with a size limit, and keeps the raw bytes (STACK.md pitfall 6): the signature check
// digests them (RFC 9530), validation parses them, the proxy forwards them unchanged.
import type { IncomingMessage } from 'node:http';
import { ProblemError } from '../../../../internal/src/problem/problem';

const EMPTY = Buffer.alloc(0);

export function tooLarge(limitBytes: number): ProblemError {
  return new ProblemError('payload_too_large', `The request body exceeds the limit of ${limitBytes} bytes.`, {
    errors: [{ pointer: '', detail: `larger than ${limitBytes} bytes` }],
  });
}

/**
 * Resolves with the whole body, or rejects with 413 as soon as it is known to be too large: at once from
 * Content-Length, else when the streamed bytes pass the limit (the rest is not buffered). A request without a body
 * (no Content-Length, no Transfer-Encoding: RFC 9112 §6.3) resolves at once without touching the stream.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(EMPTY);
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.reject(tooLarge(limitBytes));
  }
  if (declared === '0') return Promise.resolve(EMPTY);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        // Stop reading: the rest is discarded by the server as the connection closes after our 413.
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => {
      cleanup();
      reject(new Error('client aborted the request body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
