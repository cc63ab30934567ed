// Content-Digest against RFC 9530's own examples, and every way a header can fail to vouch for the body.
import { checkContentDigest, contentDigest } from './content-digest';

// RFC 9530 Appendix B.1: the digests of `{"hello": "world"}`.
const BODY = Buffer.from('{"hello": "world"}');
const SHA_256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:';
const SHA_512 =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';

describe('Content-Digest', () => {
  test('computes the RFC 9530 example values', () => {
    expect(contentDigest(BODY)).toBe(SHA_256);
    expect(contentDigest(BODY, 'sha-512')).toBe(SHA_512);
  });

  test.each([
    [SHA_256, 'match'],
    [SHA_512, 'match'],
    [`${SHA_256}, ${SHA_512}`, 'match'],
    [`md5=:Sd/dVLAcvNLSq16eXua5uQ==:, ${SHA_256}`, 'match'],
    [`${SHA_256}, sha-512=:${Buffer.alloc(64).toString('base64')}:`, 'mismatch'],
    [contentDigest('{"hello": "mallory"}'), 'mismatch'],
    ['sha-256=:AAAA:', 'mismatch'],
    ['md5=:Sd/dVLAcvNLSq16eXua5uQ==:', 'unsupported'],
    ['constructor=:AAAA:', 'unsupported'],
    ['sha-256="X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="', 'malformed'],
    ['sha-256=(:AAAA:)', 'malformed'],
    ['', 'malformed'],
    ['not a dictionary', 'malformed'],
  ])('%s → %s', (header, expected) => {
    expect(checkContentDigest(header, BODY)).toBe(expected);
  });

  test('an absent body is digested as empty content', () => {
    expect(checkContentDigest(contentDigest(Buffer.alloc(0)), undefined)).toBe('match');
    expect(checkContentDigest(SHA_256, undefined)).toBe('mismatch');
  });
});
