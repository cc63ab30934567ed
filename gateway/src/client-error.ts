// What the gateway answers when Node cannot parse a request at all (malformed HTTP, header fields past the limit):
// the same RFC 9457 problem+json as every other refusal, with a request id, instead of Node's bare status line.
import type { Duplex } from 'node:stream';
import { ProblemError, renderProblem } from '../../internal/src/problem/problem';

export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  options: { newId(prefix: string): string; problemBaseUrl: string },
): void {
  // Nothing to answer on a connection the client already dropped (or that timed out idle).
  if (!socket.writable || error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.destroy();
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ProblemError('headers_too_large', 'The request header fields are larger than 16 KiB in all.')
      : new ProblemError('validation_failed', 'The request is not valid HTTP/1.1 and could not be read.');
  const requestId = options.newId('req');
  const body = JSON.stringify(renderProblem(problem, { baseUrl: options.problemBaseUrl, requestId }));
  const reason = problem.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${problem.status} ${reason}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
