// Reads the Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header; specs/common/parameters.yaml:
// 8 to 255 characters). A malformed key is the caller's mistake and answers 400 before anything is stored.
import { ProblemError } from '../../../../internal/src/problem/problem';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MIN_LENGTH = 8;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** The draft's form is an RFC 8941 sf-string: printable ASCII in quotes, `\` escaping `"` and `\` only. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
/**
 * Stripe's form, a bare value: visible ASCII without quotes, backslashes or commas. No comma because Node joins a
 * repeated header with ", " (RFC 9110 §5.3), so a key that could contain one could not be told from two keys.
 */
const BARE = /^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/;

/**
 * The key in `value` (pass `req.headersDistinct['idempotency-key']`, or `req.headers[...]`), undefined when the
 * header is absent. Both forms name the same key: `"abc-12345"` and `abc-12345` are one key. Throws a
 * `validation_failed` ProblemError (400) naming the header when it is repeated, empty, too short or too long, or
 * holds characters outside either form.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length > 1) throw invalidKey('must be sent once.');
    value = value[0]!;
  }
  const raw = value.trim();
  let key: string;
  if (raw.startsWith('"')) {
    const quoted = SF_STRING.exec(raw);
    if (!quoted) throw invalidKey('must be a valid structured-field string (RFC 8941 §3.3.3) or a bare key.');
    key = quoted[1]!.replace(/\\(["\\])/g, '$1');
  } else {
    if (raw !== '' && !BARE.test(raw)) {
      throw invalidKey('may hold visible ASCII characters only, without spaces, commas or backslashes.');
    }
    key = raw;
  }
  if (key.length < IDEMPOTENCY_KEY_MIN_LENGTH || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw invalidKey(
      `must be ${IDEMPOTENCY_KEY_MIN_LENGTH} to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters long (a UUID is a good key).`,
    );
  }
  return key;
}

function invalidKey(what: string): ProblemError {
  const detail = `The ${IDEMPOTENCY_KEY_HEADER} header ${what}`;
  return new ProblemError('validation_failed', `The ${IDEMPOTENCY_KEY_HEADER} header is not valid.`, {
    errors: [{ header: IDEMPOTENCY_KEY_HEADER, detail }],
  });
}
