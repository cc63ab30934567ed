// Registered Ed25519 public keys: the RFC 8037 example and real keys are accepted from JWK and PEM alike with the
// RFC 7638 thumbprint; private keys, other key types, non-canonical encodings and weak points are refused.
import { generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint, parseEd25519Jwk, parseEd25519Pem, parseEd25519PublicKey } from './ed25519-key';

// RFC 8037 Appendix A.1–A.3.
const RFC_X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const RFC_D = 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A';
const RFC_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';
const RFC_PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n';

const jwkOf = (hex: string) => ({
  kty: 'OKP',
  crv: 'Ed25519',
  x: Buffer.from(hex, 'hex').toString('base64url'),
});
const reasonOf = (parse: ReturnType<typeof parseEd25519Jwk>) => (parse.ok ? 'ok' : parse.reason);

describe('Ed25519 public keys', () => {
  test('the RFC 8037 example key has the RFC 8037 A.3 thumbprint, from a JWK and from PEM', () => {
    const fromJwk = parseEd25519Jwk({ kty: 'OKP', crv: 'Ed25519', x: RFC_X, kid: 'mine', use: 'sig' });
    const fromPem = parseEd25519Pem(RFC_PEM);
    expect(fromJwk).toMatchObject({
      ok: true,
      key: { jwk: { kty: 'OKP', crv: 'Ed25519', x: RFC_X }, thumbprint: RFC_THUMBPRINT },
    });
    expect(fromPem).toMatchObject({ ok: true, key: { thumbprint: RFC_THUMBPRINT } });
    // Normalised: the partner's own members (kid, use) are not kept.
    expect(fromJwk.ok && Object.keys(fromJwk.key.jwk)).toEqual(['kty', 'crv', 'x']);
    expect(jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: RFC_X })).toBe(RFC_THUMBPRINT);
  });

  test('keys made by node:crypto are accepted, with the same thumbprint as JWK or PEM', () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = generateKeyPairSync('ed25519');
      const jwk = parseEd25519Jwk(publicKey.export({ format: 'jwk' }));
      const pem = parseEd25519Pem(publicKey.export({ format: 'pem', type: 'spki' }));
      expect(jwk.ok && pem.ok && jwk.key.thumbprint === pem.key.thumbprint).toBe(true);
    }
  });

  test('parseEd25519PublicKey takes whichever of jwk and pem is given', () => {
    expect(parseEd25519PublicKey({ pem: RFC_PEM })).toMatchObject({ ok: true });
    expect(parseEd25519PublicKey({ jwk: { kty: 'OKP', crv: 'Ed25519', x: RFC_X } })).toMatchObject({
      ok: true,
    });
  });

  test('a private key is refused, as a JWK with d or as a PKCS#8 PEM, whatever else it holds', () => {
    expect(reasonOf(parseEd25519Jwk({ kty: 'OKP', crv: 'Ed25519', x: RFC_X, d: RFC_D }))).toBe('private_key');
    expect(reasonOf(parseEd25519Jwk({ kty: 'RSA', d: 'x' }))).toBe('private_key');
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(reasonOf(parseEd25519Pem(privateKey.export({ format: 'pem', type: 'pkcs8' })))).toBe(
      'private_key',
    );
  });

  test('other key types and curves are not Ed25519', () => {
    const x25519 = generateKeyPairSync('x25519').publicKey;
    expect(reasonOf(parseEd25519Jwk(x25519.export({ format: 'jwk' })))).toBe('not_ed25519');
    expect(reasonOf(parseEd25519Pem(x25519.export({ format: 'pem', type: 'spki' })))).toBe('not_ed25519');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(reasonOf(parseEd25519Jwk(p256.export({ format: 'jwk' })))).toBe('not_ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(reasonOf(parseEd25519Pem(rsa.export({ format: 'pem', type: 'spki' })))).toBe('not_ed25519');
  });

  test.each([
    ['not an object', 'OKP'],
    ['x missing', { kty: 'OKP', crv: 'Ed25519' }],
    ['x of 31 bytes', { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(31, 9).toString('base64url') }],
    ['x with padding', { kty: 'OKP', crv: 'Ed25519', x: `${RFC_X}=` }],
    // The last character of 32 bytes in base64url carries 2 unused bits; 'p' sets them ('o' does not).
    ['x with non-zero unused bits', { kty: 'OKP', crv: 'Ed25519', x: `${RFC_X.slice(0, -1)}p` }],
  ])('a malformed JWK is refused: %s', (_label, jwk) => {
    expect(reasonOf(parseEd25519Jwk(jwk))).toBe('malformed');
  });

  test.each([
    ['not text', 42],
    ['a certificate', RFC_PEM.replace(/PUBLIC KEY/g, 'CERTIFICATE')],
    ['two blocks', RFC_PEM + RFC_PEM],
    [
      'truncated DER',
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPa\n-----END PUBLIC KEY-----\n',
    ],
  ])('a malformed PEM is refused: %s', (_label, pem) => {
    expect(reasonOf(parseEd25519Pem(pem))).toBe('malformed');
  });

  test('32 bytes that are not a canonical curve point are refused (RFC 8032 §5.1.3)', () => {
    // y = 2 has no x on the curve; y = p (2^255 - 19) is the non-canonical encoding of y = 0.
    expect(reasonOf(parseEd25519Jwk(jwkOf(`02${'00'.repeat(31)}`)))).toBe('invalid_point');
    expect(reasonOf(parseEd25519Jwk(jwkOf(`ed${'ff'.repeat(30)}7f`)))).toBe('invalid_point');
    // x = 0 with the sign bit set.
    expect(reasonOf(parseEd25519Jwk(jwkOf(`01${'00'.repeat(30)}80`)))).toBe('invalid_point');
    expect(reasonOf(parseEd25519Jwk(jwkOf(`03${'00'.repeat(31)}`)))).toBe('ok');
  });

  test.each([
    ['the neutral element (order 1)', `01${'00'.repeat(31)}`],
    ['order 2', `ec${'ff'.repeat(30)}7f`],
    ['order 4', '00'.repeat(32)],
    ['order 8', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    ['order 8, other sign', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
  ])('a point of small order is a weak key: %s', (_label, hex) => {
    expect(reasonOf(parseEd25519Jwk(jwkOf(hex)))).toBe('weak_key');
  });
});
