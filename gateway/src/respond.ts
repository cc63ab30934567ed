// Writes the gateway's own answers: RFC 9457 problem+json for every failure it makes itself (never a stack trace,
// the same shape as the backends'), and small JSON or text bodies for its operational endpoints.
import type { ServerResponse } from 'node:http';
import { ProblemError, renderProblem } from '../../internal/src/problem/problem';
import type { RequestContext } from './context';

/** Any thrown value as the ProblemError the caller sees; unknown errors become a 500 that reveals nothing. */
export function asProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  return new ProblemError(
    'internal_error',
    'An unexpected error occurred; quote the request id when contacting support.',
    { internalMessage: error instanceof Error ? error.message : String(error), cause: error },
  );
}

export function writeProblem(
  ctx: RequestContext,
  problem: ProblemError,
  options: { problemBaseUrl: string },
): void {
  const res = ctx.res;
  ctx.problemCode = problem.code;
  if (res.headersSent) {
    // Already streaming the upstream's answer: the only honest thing left is to cut it short.
    res.destroy();
    return;
  }
  const body = JSON.stringify(
    renderProblem(problem, {
      baseUrl: options.problemBaseUrl,
      requestId: ctx.requestId,
      instance: ctx.pathname,
    }),
  );
  applyHeaders(res, ctx.responseHeaders);
  applyHeaders(res, problem.options.headers);
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  // A problem is about this request only; no shared cache may keep it (RFC 9111 §5.2.2.5).
  res.setHeader('Cache-Control', 'no-store');
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

export function writeBody(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Buffer,
  method = 'GET',
): void {
  res.statusCode = status;
  applyHeaders(res, headers);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(method === 'HEAD' ? undefined : body);
}

export function applyHeaders(
  res: ServerResponse,
  headers: Readonly<Record<string, string>> | undefined,
): void {
  if (!headers) return;
  for (const name in headers) res.setHeader(name, headers[name]!);
}
