// The shape of the gateway's own small endpoints (/oauth/token, /.well-known/jwks.json) as app.ts mounts them: the
// app reads the body once (with its size limit), owns the request id and the per-IP limiter, and writes back what a
// handler returns. Handlers never touch the socket, so they are tested as functions and behind a real server alike.
import type { IncomingHttpHeaders } from 'node:http';
import { ProblemError, renderProblem } from '../../../internal/src/problem/problem';

export interface EndpointRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** The request target as received (path and query), when the app passes it; only used to refuse a query. */
  url?: string;
}

export interface EndpointResponse {
  status: number;
  /** Lower-case names; Content-Type and Content-Length are always set. */
  headers: Record<string, string>;
  /** Empty for HEAD (Content-Length still gives the GET body's length, RFC 9110 §9.3.2). */
  body: string;
}

/** The paths DESIGN.md gives these endpoints, for the app's route table. */
export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

/**
 * PORTICO_PROBLEM_BASE_URL's default for the default portal address (internal/src/config.ts): the portal's problem
 * pages. The app passes the configured one.
 */
export const DEFAULT_PROBLEM_BASE_URL = 'http://127.0.0.1:3000/docs/problems/';

export function jsonResponse(
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string>,
): EndpointResponse {
  return {
    status,
    headers: {
      ...headers,
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}

/** An RFC 9457 problem document, for what is not an OAuth error (a wrong method, a failure of ours). */
export function problemResponse(
  problem: ProblemError,
  context: { problemBaseUrl: string; requestId: string; instance: string },
  headers: Record<string, string>,
): EndpointResponse {
  const document = renderProblem(problem, {
    baseUrl: context.problemBaseUrl,
    requestId: context.requestId,
    instance: context.instance,
  });
  return jsonResponse(problem.status, 'application/problem+json', JSON.stringify(document), {
    ...(problem.options.headers ?? {}),
    ...headers,
  });
}

/** 405 with `Allow` (RFC 9110 §15.5.6: a 405 MUST list the methods the resource supports). */
export function methodNotAllowed(
  allow: string,
  context: { problemBaseUrl: string; requestId: string; instance: string },
  headers: Record<string, string>,
): EndpointResponse {
  const problem = new ProblemError('method_not_allowed', `${context.instance} accepts ${allow} only.`, {
    headers: { allow },
  });
  return problemResponse(problem, context, headers);
}
