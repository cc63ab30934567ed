// The signature base against RFC 9421's own examples (Appendix B.2.5 and B.2.6, whose signatures must verify with
// the RFC's test keys), and the derived components taken from a received request.
import { createPublicKey } from 'node:crypto';
import { verifySignatureBytes } from './algorithms';
import { buildSignatureBase, messageFromRequest, messageFromUrl, normaliseAuthority } from './signature-base';
import { parseSignatureHeaders } from './signature-input';

// RFC 9421 Appendix B.2: the test request.
const RFC_REQUEST = {
  method: 'POST',
  url: '/foo?param=Value&Pet=dog',
  headers: {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-digest':
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'content-length': '18',
  },
};
const RFC_SHARED_SECRET = Buffer.from(
  'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==',
  'base64',
);
const RFC_ED25519_PUBLIC = createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' },
  format: 'jwk',
});

function rfcBase(signatureInput: string, signature: string) {
  const parsed = parseSignatureHeaders(signatureInput, signature);
  if (!parsed.ok) throw new Error(parsed.detail);
  const message = messageFromRequest(RFC_REQUEST, 'https')!;
  const base = buildSignatureBase(message, parsed.signature.covered, parsed.signature.params);
  if (!base.ok) throw new Error(base.detail);
  return { base: base.base, signature: parsed.signature.signature };
}

describe('buildSignatureBase', () => {
  test('RFC 9421 B.2.5: the HMAC-SHA256 example, base and signature', () => {
    const { base, signature } = rfcBase(
      'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
      'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:',
    );
    expect(base).toBe(
      [
        '"date": Tue, 20 Apr 2021 02:07:55 GMT',
        '"@authority": example.com',
        '"content-type": application/json',
        '"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
      ].join('\n'),
    );
    const key = { keyId: 'test-shared-secret', algorithm: 'hmac-sha256' as const, secret: RFC_SHARED_SECRET };
    expect(verifySignatureBytes(key, base, signature)).toBe(true);
  });

  test('RFC 9421 B.2.6: the Ed25519 example, base and signature', () => {
    const { base, signature } = rfcBase(
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473' +
        ';keyid="test-key-ed25519"',
      'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
    );
    expect(base.split('\n')).toEqual([
      '"date": Tue, 20 Apr 2021 02:07:55 GMT',
      '"@method": POST',
      '"@path": /foo',
      '"@authority": example.com',
      '"content-type": application/json',
      '"content-length": 18',
      '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")' +
        ';created=1618884473;keyid="test-key-ed25519"',
    ]);
    const key = { keyId: 'test-key-ed25519', algorithm: 'ed25519' as const, publicKey: RFC_ED25519_PUBLIC };
    expect(verifySignatureBytes(key, base, signature)).toBe(true);
  });

  test('RFC 9421 §2.2.7: @query with and without a query', () => {
    const params = new Map();
    const withQuery = buildSignatureBase(messageFromRequest(RFC_REQUEST, 'https')!, ['@query'], params);
    expect(withQuery).toEqual({
      ok: true,
      base: '"@query": ?param=Value&Pet=dog\n"@signature-params": ("@query")',
    });
    const bare = messageFromRequest({ ...RFC_REQUEST, url: '/foo' }, 'https')!;
    expect(buildSignatureBase(bare, ['@query'], params)).toEqual({
      ok: true,
      base: '"@query": ?\n"@signature-params": ("@query")',
    });
    expect(messageFromRequest({ ...RFC_REQUEST, url: '/foo?' }, 'https')!.query).toBe('?');
  });

  test('refuses a repeated, unsupported or absent component', () => {
    const message = messageFromRequest(RFC_REQUEST, 'https')!;
    for (const covered of [
      ['@method', '@method'],
      ['@target-uri'],
      ['@signature-params'],
      ['x-absent'],
      ['Date'],
    ]) {
      expect(buildSignatureBase(message, covered, new Map()).ok).toBe(false);
    }
  });
});

describe('messageFromRequest', () => {
  test('joins repeated field lines with ", " after trimming each (RFC 9421 §2.1)', () => {
    const message = messageFromRequest(
      { method: 'GET', url: '/', headers: { host: 'a.example', 'x-list': [' one ', 'two  '] } },
      'https',
    )!;
    expect(message.field('x-list')).toBe('one, two');
    expect(message.field('x-missing')).toBeUndefined();
  });

  test('keeps the path as sent and normalises the query as the WHATWG URL parser does', () => {
    const message = messageFromRequest(
      { method: 'GET', url: "/a/%7Eb/../c?q=it's&x=%41", headers: { host: 'a.example' } },
      'https',
    )!;
    expect(message.path).toBe('/a/%7Eb/../c');
    expect(message.query).toBe('?q=it%27s&x=%41');
    expect(messageFromUrl('GET', new URL("https://a.example/p?q=it's&x=%41"), {}).query).toBe(message.query);
  });

  test('reads an absolute-form target', () => {
    const message = messageFromRequest(
      { method: 'GET', url: 'https://a.example/x?y=1', headers: { host: 'a.example' } },
      'https',
    )!;
    expect([message.path, message.query]).toEqual(['/x', '?y=1']);
  });

  test.each([
    ['Example.COM:443', 'https', 'example.com'],
    ['example.com:80', 'http', 'example.com'],
    ['example.com:80', 'https', 'example.com:80'],
    ['example.com:8443', 'https', 'example.com:8443'],
    ['[::1]:443', 'https', '[::1]'],
    ['example.com:', 'https', 'example.com'],
  ] as const)('@authority of Host %s over %s is %s (RFC 9110 §4.2.3)', (host, scheme, expected) => {
    expect(normaliseAuthority(host, scheme)).toBe(expected);
  });
});
