// Refuses a request that carries a body in anything but JSON — including a body with no Content-Type at all, which
// the JSON parser would skip and an operation whose body is optional would then run without (losing what was sent).
import type { RequestHandler } from 'express';
import { ProblemError } from '../problem/problem';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function requireJsonBody(): RequestHandler {
  return function requireJsonBodyMiddleware(req, _res, next) {
    // RFC 9112 §6.3: a request has a body when it has Content-Length > 0 or a Transfer-Encoding.
    const length = Number(req.get('content-length') ?? '0');
    const hasBody = req.get('transfer-encoding') !== undefined || length > 0;
    if (!hasBody) return next();
    const type = req.get('content-type');
    if (type !== undefined && JSON_MEDIA_TYPE.test(type)) return next();
    throw new ProblemError(
      'unsupported_media_type',
      type === undefined
        ? 'The request has a body but no Content-Type; send it as application/json.'
        : `Content type '${type}' is not supported; send application/json.`,
      {
        errors: [
          { header: 'content-type', detail: type === undefined ? 'missing' : `'${type}' is not JSON` },
        ],
      },
    );
  };
}
