// The redaction list really hides the credentials a request carries when its headers are logged under
// req.headers.<name>: a path pino reads differently from what we meant would leave the secret in the log.
import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logger';

function logged(headers: Record<string, string>): Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink).info(
    { req: { headers } },
    'request',
  );
  return (JSON.parse(lines[0]!) as { req: { headers: Record<string, unknown> } }).req.headers;
}

describe('REDACTED_PATHS', () => {
  test.each([
    ['authorization', 'Bearer ptc_test_abc'],
    ['x-api-key', 'ptc_test_abc'],
    ['signature', 'sig1=:abc:'],
    ['signature-input', 'sig1=("@method");keyid="k"'],
    ['cookie', 'portico_session=abc'],
    ['x-portico-identity', 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJrZXlfMSJ9.c2ln'],
  ])('hides the %s request header and keeps the others', (name, value) => {
    expect(logged({ [name]: value, 'x-request-id': 'req_1' })).toEqual({
      [name]: '[redacted]',
      'x-request-id': 'req_1',
    });
  });
});
