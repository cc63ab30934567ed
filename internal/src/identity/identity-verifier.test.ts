// The backends' verifier: accepts exactly the gateway's assertions (and an equivalent one made by jose), refuses every
// forgery, confusion and stale token with its reason, and answers a token seen before from its cache until it expires.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { manualClock } from '../clock';
import {
  APP_CLAIM,
  AUTH_SCHEME_CLAIM,
  ENVIRONMENT_CLAIM,
  IDENTITY_TYP,
  PARTNER_CLAIM,
  identityClaims,
  type CallerIdentity,
} from './identity-assertion';
import { generateIdentityKey, identityPublicKeys } from './identity-keys';
import { createIdentitySigner } from './identity-signer';
import { createIdentityVerifier, MAX_ASSERTION_LENGTH } from './identity-verifier';

const current = generateIdentityKey('i2').key;
const previous = generateIdentityKey('i1').key;
const stranger = generateIdentityKey('i2').key; // same kid, another key: a forger's
const caller: CallerIdentity = {
  scheme: 'oauth2',
  credentialId: 'oac_01JD0000000000000000000001',
  appId: 'app_01JD0000000000000000000001',
  partnerId: 'prt_01JD0000000000000000000001',
  environment: 'test',
  scopes: ['orders:read'],
};
const START = '2026-03-01T12:00:00.000Z';
const NOW = Date.parse(START) / 1000;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A compact JWS with any header and payload, signed with Ed25519 — what a forger with some key could make. */
function forge(header: object, payload: object, privateKey: KeyObject = current.privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}
const goodHeader = { alg: 'EdDSA', kid: 'i2', typ: IDENTITY_TYP };
const goodClaims = (change: object = {}) => ({ ...identityClaims(caller, 'orders', NOW, 60), ...change });

describe('createIdentityVerifier', () => {
  const setup = (options: { leewaySeconds?: number; maxCacheEntries?: number } = {}) => {
    const clock = manualClock(START);
    const verify = createIdentityVerifier({
      publicKeys: identityPublicKeys([current, previous]),
      audience: 'orders',
      clock,
      ...options,
    });
    const signer = createIdentitySigner({ privateKey: current.privateKey, kid: 'i2', clock });
    return { clock, verify, signer };
  };

  test("accepts the gateway's assertion and returns the caller it names", () => {
    const { verify, signer } = setup();
    expect(verify(signer(caller, 'orders'))).toEqual({
      outcome: 'valid',
      identity: caller,
      expiresAtSeconds: NOW + 60,
    });
  });

  test('accepts an assertion signed by a previous key of the ring (rotation), and one made by jose', async () => {
    const { verify } = setup();
    expect(verify(forge({ ...goodHeader, kid: 'i1' }, goodClaims(), previous.privateKey)).outcome).toBe(
      'valid',
    );
    const byJose = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: 'EdDSA', typ: IDENTITY_TYP, kid: 'i2' })
      .sign(current.privateKey);
    expect(verify(byJose)).toMatchObject({ outcome: 'valid', identity: caller });
  });

  const hs256 = (() => {
    // The classic confusion: the public key used as an HMAC secret.
    const secret = current.publicKey.export({ format: 'der', type: 'spki' });
    const input = `${b64({ ...goodHeader, alg: 'HS256' })}.${b64(goodClaims())}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  })();
  const signed = forge(goodHeader, goodClaims());
  const [h, p, s] = signed.split('.') as [string, string, string];
  const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
  // The last of 86 characters carries 2 bits of the signature and 4 zero bits: setting one decodes to the same bytes.
  const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const nonCanonical = `${s.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(s.slice(-1)) + 1]}`;

  test.each([
    ['no token', undefined, 'missing'],
    ['an empty token', '', 'missing'],
    ['two segments', `${h}.${p}`, 'malformed'],
    ['four segments', `${signed}.x`, 'malformed'],
    ['two assertions joined by a repeated header', `${signed}, ${signed}`, 'malformed'],
    ['a header that is not JSON', `${Buffer.from('{x').toString('base64url')}.${p}.${s}`, 'malformed'],
    ['stray characters in a segment', `${h}.${p}!.${s}`, 'malformed'],
    ['an oversized token', `${h}.${'A'.repeat(MAX_ASSERTION_LENGTH)}.${s}`, 'malformed'],
    ['alg none', `${b64({ ...goodHeader, alg: 'none' })}.${p}.`, 'unsupported_header'],
    ['HS256 with the public key as secret', hs256, 'unsupported_header'],
    ['an access token typ', forge({ ...goodHeader, typ: 'at+jwt' }, goodClaims()), 'unsupported_header'],
    ['a crit member', forge({ ...goodHeader, crit: ['exp'] }, goodClaims()), 'unsupported_header'],
    ['an embedded jwk', forge({ ...goodHeader, jwk: { kty: 'OKP' } }, goodClaims()), 'unsupported_header'],
    ['an unknown kid', forge({ ...goodHeader, kid: 'i9' }, goodClaims()), 'unknown_key'],
    [
      'a known kid signed by another key',
      forge(goodHeader, goodClaims(), stranger.privateKey),
      'bad_signature',
    ],
    [
      'a tampered payload',
      `${h}.${b64(goodClaims({ [PARTNER_CLAIM]: 'prt_victim1' }))}.${s}`,
      'bad_signature',
    ],
    ['a flipped signature bit', `${h}.${p}.${flipped}`, 'bad_signature'],
    ['a non-canonical signature encoding', `${h}.${p}.${nonCanonical}`, 'bad_signature'],
    ['a short signature', `${h}.${p}.${s.slice(0, 40)}`, 'bad_signature'],
    [
      'a missing partner',
      forge(goodHeader, { ...goodClaims(), [PARTNER_CLAIM]: undefined }),
      'invalid_claims',
    ],
    ['a bad environment', forge(goodHeader, goodClaims({ [ENVIRONMENT_CLAIM]: 'prod' })), 'invalid_claims'],
    ['an unknown scheme', forge(goodHeader, goodClaims({ [AUTH_SCHEME_CLAIM]: 'cookie' })), 'invalid_claims'],
    ['an app id with spaces', forge(goodHeader, goodClaims({ [APP_CLAIM]: 'app 1' })), 'invalid_claims'],
    ['a fractional exp', forge(goodHeader, goodClaims({ exp: NOW + 60.5 })), 'invalid_claims'],
    ['exp before iat', forge(goodHeader, goodClaims({ exp: NOW - 1 })), 'invalid_claims'],
    ['another issuer', forge(goodHeader, goodClaims({ iss: 'https://portico.dev' })), 'wrong_issuer'],
    ["another backend's audience", forge(goodHeader, goodClaims({ aud: 'crm' })), 'wrong_audience'],
    ['an audience array', forge(goodHeader, goodClaims({ aud: ['orders'] })), 'invalid_claims'],
    ['a day-long lifetime', forge(goodHeader, goodClaims({ exp: NOW + 86_400 })), 'lifetime_too_long'],
    [
      'an iat beyond the leeway',
      forge(goodHeader, goodClaims({ iat: NOW + 6, exp: NOW + 66 })),
      'issued_in_future',
    ],
    ['an expired assertion', forge(goodHeader, goodClaims({ iat: NOW - 70, exp: NOW - 10 })), 'expired'],
  ])('refuses %s', (_label, token, reason) => {
    expect(setup().verify(token)).toEqual({ outcome: 'refused', reason });
  });

  test('tolerates leewaySeconds of skew on both ends, and not one second more', () => {
    const { verify } = setup({ leewaySeconds: 5 });
    expect(verify(forge(goodHeader, goodClaims({ iat: NOW + 5, exp: NOW + 65 }))).outcome).toBe('valid');
    expect(verify(forge(goodHeader, goodClaims({ iat: NOW - 56, exp: NOW - 4 }))).outcome).toBe('valid');
    expect(verify(forge(goodHeader, goodClaims({ iat: NOW - 56, exp: NOW - 5 })))).toMatchObject({
      reason: 'expired',
    });
  });

  test('answers a token seen before from the cache, and still refuses it once expired', () => {
    const { verify, signer, clock } = setup();
    const token = signer(caller, 'orders');
    const first = verify(token);
    expect(verify(token)).toBe(first); // the same frozen result: no parsing, no signature check
    clock.advance(64_000);
    expect(verify(token)).toBe(first);
    clock.advance(1_000); // exp + leeway
    expect(verify(token)).toEqual({ outcome: 'refused', reason: 'expired' });
  });

  test('a bounded cache forgets the oldest tokens and verifies them again', () => {
    const { verify, signer } = setup({ maxCacheEntries: 1 });
    const a = signer(caller, 'orders');
    const b = signer({ ...caller, scopes: [] }, 'orders');
    const first = verify(a);
    verify(b);
    const again = verify(a);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  test('the identity it returns cannot be changed by one request for the next', () => {
    const { verify, signer } = setup();
    const result = verify(signer(caller, 'orders'));
    if (result.outcome !== 'valid') throw new Error('expected valid');
    expect(Object.isFrozen(result.identity)).toBe(true);
    expect(Object.isFrozen(result.identity.scopes)).toBe(true);
  });

  test.each([
    ['no keys', { publicKeys: new Map() }, /at least one/],
    [
      'a P-256 key',
      { publicKeys: new Map([['e', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey]]) },
      /Ed25519/,
    ],
    ['no audience', { audience: '' }, /audience/],
  ])('refuses to start with %s', (_label, change, message) => {
    const options = {
      publicKeys: identityPublicKeys([current]),
      audience: 'orders',
      clock: manualClock(START),
    };
    expect(() => createIdentityVerifier({ ...options, ...change })).toThrow(message);
  });
});
