// The validation policy (DESIGN.md "Proxying"): the body must be JSON when the operation takes one (415 otherwise),
// parse (400 malformed_json), and the whole request must match the operation in the spec (400 validation_failed
// with errors[{pointer|parameter|header, detail}]). Only what passes reaches a backend.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { RequestContext } from '../../context';
import type { SpecRequestValidator } from './spec-request-validator';

/** RFC 8259 §11 and RFC 6839 §3.1: application/json, or any `+json` type, with optional parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** A charset parameter other than UTF-8 (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
function declaresOtherCharset(type: string): boolean {
  const charset = CHARSET.exec(type)?.[1];
  return charset !== undefined && charset.toLowerCase() !== 'utf-8';
}

export function validateRequest(ctx: RequestContext, validator: SpecRequestValidator): void {
  const operation = ctx.operation!;
  const body = ctx.body!;
  let parsed: unknown = undefined;
  if (body.length > 0) {
    if (!operation.hasBody) {
      throw new ProblemError('validation_failed', `${operation.operationId} takes no request body.`, {
        errors: [{ pointer: '', detail: 'a body was sent to an operation that takes none' }],
      });
    }
    const type = ctx.req.headers['content-type'];
    // The gateway validates the bytes as UTF-8; a backend honouring another declared charset would run a different
    // document than the one validated, so anything but UTF-8 is refused here.
    if (type === undefined || !JSON_MEDIA_TYPE.test(type) || declaresOtherCharset(type)) {
      throw new ProblemError(
        'unsupported_media_type',
        `Content type '${type ?? '(none)'}' is not supported; send application/json (UTF-8).`,
        { errors: [{ header: 'content-type', detail: `'${type ?? '(none)'}' is not application/json` }] },
      );
    }
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new ProblemError('malformed_json', 'The request body is not valid JSON.', {
        errors: [{ pointer: '', detail: (error as Error).message }],
      });
    }
  }
  const result = validator.validate({
    api: operation.api,
    method: operation.method,
    url: ctx.url,
    pathname: ctx.pathname,
    template: `${operation.basePath}${operation.path}`,
    params: ctx.params,
    headers: ctx.req.headers,
    body: parsed,
  });
  if (!result.valid) {
    const count = result.errors.length;
    throw new ProblemError(
      'validation_failed',
      count === 1
        ? 'One part of the request is not valid; see `errors`.'
        : `${count} parts of the request are not valid; see \`errors\`.`,
      { errors: result.errors },
    );
  }
}
