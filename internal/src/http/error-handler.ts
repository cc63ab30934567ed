// The one error handler of a Portico service: turns any thrown value into an RFC 9457 problem+json response.
// ProblemErrors render as they are; body-parser and express-openapi-validator errors map to catalog entries with
// `errors[{pointer|parameter|header, detail}]`; anything else is a 500 whose detail reveals nothing internal.
import type { ErrorRequestHandler, Request } from 'express';
import { ProblemError, renderProblem, type ProblemFieldError } from '../problem/problem';
import './locals';

interface ValidatorErrorItem {
  path?: string;
  message?: string;
  errorCode?: string;
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  errors?: ValidatorErrorItem[];
  headers?: Record<string, string>;
  message?: string;
  limit?: number;
  expose?: boolean;
}

export function problemErrorHandler(options: { problemBaseUrl: string }): ErrorRequestHandler {
  return function problemErrorHandlerMiddleware(error: unknown, req, res, _next) {
    const problem = toProblemError(error, req);
    const log = res.locals.log;
    if (problem.status >= 500) log?.error({ err: error }, problem.message);
    else log?.info({ code: problem.code, reason: problem.message }, 'request refused');
    if (res.headersSent) {
      // The response is already streaming; the only honest thing left is to cut it short.
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.options.headers ?? {})) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify(
          renderProblem(problem, {
            baseUrl: options.problemBaseUrl,
            requestId: res.locals.requestId,
            instance: req.originalUrl.split('?')[0],
          }),
        ),
      );
  };
}

export function toProblemError(error: unknown, req: Request): ProblemError {
  if (error instanceof ProblemError) return error;
  const e = (error ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  // body-parser (RFC 8259 parse failures and size limits).
  if (e.type === 'entity.parse.failed') {
    return new ProblemError('malformed_json', 'The request body is not valid JSON.', {
      errors: [{ pointer: '', detail: String(e.message ?? 'invalid JSON') }],
      cause: error,
    });
  }
  if (e.type === 'entity.too.large' || status === 413) {
    const limit = e.limit ? ` of ${e.limit} bytes` : '';
    return new ProblemError('payload_too_large', `The request body exceeds the limit${limit}.`, {
      errors: [{ pointer: '', detail: `larger than the limit${limit}` }],
      cause: error,
    });
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new ProblemError('unsupported_media_type', String(e.message), {
      errors: [{ header: 'content-type', detail: String(e.message) }],
      cause: error,
    });
  }
  // express-openapi-validator.
  if (status === 400 && Array.isArray(e.errors)) {
    return new ProblemError('validation_failed', describeFieldErrors(e.errors), {
      errors: e.errors.map(toFieldError),
      cause: error,
    });
  }
  if (status === 404) {
    return new ProblemError('route_not_found', `No operation matches ${req.method} ${req.path}.`, {
      cause: error,
    });
  }
  if (status === 405) {
    const allow = e.headers?.Allow ?? e.headers?.allow;
    return new ProblemError('method_not_allowed', `${req.method} is not allowed on ${req.path}.`, {
      ...(allow ? { headers: { Allow: allow } } : {}),
      cause: error,
    });
  }
  if (status === 415) {
    const type = req.get('content-type') ?? '(none)';
    return new ProblemError(
      'unsupported_media_type',
      `Content type '${type}' is not supported; send application/json.`,
      {
        errors: [{ header: 'content-type', detail: `'${type}' is not application/json` }],
        cause: error,
      },
    );
  }
  if (status === 406) {
    return new ProblemError('not_acceptable', 'This operation answers only application/json.', {
      cause: error,
    });
  }
  if (status === 401) {
    return new ProblemError('unauthenticated', 'A valid credential is required.', { cause: error });
  }
  // Any other client error that its library marks as safe to show (body-parser's aborted or mis-sized bodies, a
  // validator 400 without details) stays a 4xx: a caller's mistake must never look like our failure.
  if (status !== undefined && status >= 400 && status < 500) {
    return new ProblemError(
      status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'validation_failed',
      e.expose === false
        ? 'The request could not be read.'
        : String(e.message ?? 'The request could not be read.'),
      { cause: error },
    );
  }
  return new ProblemError(
    'internal_error',
    'An unexpected error occurred; quote the request id when contacting support.',
    {
      internalMessage: error instanceof Error ? error.message : String(error),
      cause: error,
    },
  );
}

function toFieldError(item: ValidatorErrorItem): ProblemFieldError {
  const path = item.path ?? '';
  const detail = item.message ?? 'is not valid';
  const [, location, ...rest] = path.split('/');
  const tail = rest.join('/');
  switch (location) {
    case 'body':
      // Already an RFC 6901 pointer below /body (express-openapi-validator escapes ~ and / itself).
      return { pointer: tail === '' ? '' : `/${tail}`, detail };
    case 'query':
    case 'params':
    case 'path':
      return { parameter: decodePointerToken(rest[0] ?? ''), detail };
    case 'headers':
      return { header: decodePointerToken(rest[0] ?? '').toLowerCase(), detail };
    default:
      return { pointer: path, detail };
  }
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeFieldErrors(items: ValidatorErrorItem[]): string {
  const count = items.length;
  return count === 1
    ? 'One part of the request is not valid; see `errors`.'
    : `${count} parts of the request are not valid; see \`errors\`.`;
}
