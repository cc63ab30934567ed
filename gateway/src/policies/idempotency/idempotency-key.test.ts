// The Idempotency-Key header as the specs define it (8 to 255 characters), in the draft's sf-string form and
// Stripe's bare form; anything else is a 400 that names the header.
import { ProblemError } from '../../../../internal/src/problem/problem';
import { parseIdempotencyKey } from './idempotency-key';

const UUID = '8e03978e-40d5-43e8-bc93-6894a57f9324';

describe('parseIdempotencyKey', () => {
  test.each([
    ['a bare key (Stripe)', UUID, UUID],
    ['the draft sf-string form, naming the same key', `"${UUID}"`, UUID],
    ['escapes inside an sf-string', '"order \\"7\\" \\\\ x"', 'order "7" \\ x'],
    ['one value from headersDistinct', [UUID], UUID],
    ['8 characters', 'abcdefgh', 'abcdefgh'],
    ['255 characters', 'k'.repeat(255), 'k'.repeat(255)],
  ])('accepts %s', (_name, value, key) => {
    expect(parseIdempotencyKey(value)).toBe(key);
  });

  test.each([undefined, []])('an absent header (%p) is no key', (value) => {
    expect(parseIdempotencyKey(value)).toBeUndefined();
  });

  test.each([
    ['empty', '', '8 to 255 characters'],
    ['7 characters', 'abcdefg', '8 to 255 characters'],
    ['256 characters', 'k'.repeat(256), '8 to 255 characters'],
    ['a quoted key of 7 characters', '"abcdefg"', '8 to 255 characters'],
    ['repeated', [UUID, 'another-key-1'], 'must be sent once'],
    ['a space in a bare key', 'order 12345', 'visible ASCII'],
    ['a comma (two keys joined by Node)', `${UUID}, ${UUID}`, 'visible ASCII'],
    ['non-ASCII', 'clé-de-commande', 'visible ASCII'],
    ['an unterminated sf-string', `"${UUID}`, 'structured-field string'],
    ['a bad escape in an sf-string', '"abcdefgh\\n"', 'structured-field string'],
  ])('refuses %s with 400 validation_failed naming the header', (_name, value, message) => {
    let thrown: unknown;
    try {
      parseIdempotencyKey(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemError);
    const problem = thrown as ProblemError;
    expect(problem.status).toBe(400);
    expect(problem.code).toBe('validation_failed');
    expect(problem.options.errors).toEqual([
      { header: 'Idempotency-Key', detail: expect.stringContaining(message) },
    ]);
  });
});
