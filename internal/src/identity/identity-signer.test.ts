// The gateway's signer: assertions verify with jose (an independent JWS implementation) under the pinned algorithm,
// issuer, audience and typ; one assertion is reused per caller and backend until its reuse window ends; the cache stays bounded.
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { manualClock } from '../clock';
import {
  APP_CLAIM,
  AUTH_SCHEME_CLAIM,
  ENVIRONMENT_CLAIM,
  IDENTITY_ISSUER,
  IDENTITY_TYP,
  PARTNER_CLAIM,
  type CallerIdentity,
} from './identity-assertion';
import { generateIdentityKey } from './identity-keys';
import { createIdentitySigner } from './identity-signer';

const { key } = generateIdentityKey('i1');
const caller: CallerIdentity = {
  scheme: 'apiKey',
  credentialId: 'key_01JD0000000000000000000001',
  appId: 'app_01JD0000000000000000000001',
  partnerId: 'prt_01JD0000000000000000000001',
  environment: 'live',
  scopes: ['crm:read', 'crm:write'],
};

describe('createIdentitySigner', () => {
  const start = '2026-03-01T12:00:00.000Z';
  const startSeconds = Date.parse(start) / 1000;
  const signerOn = (clock = manualClock(start), extra = {}) =>
    createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock, ...extra });

  test('signs an EdDSA JWT that jose verifies with the pinned algorithm, issuer, audience and typ', async () => {
    const token = signerOn()(caller, 'crm');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: 'i1', typ: IDENTITY_TYP });
    const { payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ['EdDSA'],
      issuer: IDENTITY_ISSUER,
      audience: 'crm',
      typ: IDENTITY_TYP,
      currentDate: new Date(start),
    });
    expect(payload).toEqual({
      iss: 'portico-gateway',
      aud: 'crm',
      sub: caller.credentialId,
      iat: startSeconds,
      exp: startSeconds + 60,
      scope: 'crm:read crm:write',
      [PARTNER_CLAIM]: caller.partnerId,
      [APP_CLAIM]: caller.appId,
      [ENVIRONMENT_CLAIM]: 'live',
      [AUTH_SCHEME_CLAIM]: 'apiKey',
    });
  });

  test('reuses one assertion for reuseSeconds, then signs a fresh one with a full lifetime', () => {
    const clock = manualClock(start);
    const assertionFor = signerOn(clock);
    const first = assertionFor(caller, 'crm');
    clock.advance(44_999);
    expect(assertionFor(caller, 'crm')).toBe(first);
    clock.advance(1);
    const second = assertionFor(caller, 'crm');
    expect(second).not.toBe(first);
    // At the switch the old one still had lifetime − reuse = 15 s left: nothing in flight carries a dying assertion.
    expect(decodeJwt(first).exp! - (startSeconds + 45)).toBe(15);
    expect(decodeJwt(second)).toMatchObject({ iat: startSeconds + 45, exp: startSeconds + 105 });
  });

  test('honours custom lifetime and reuse windows', () => {
    const clock = manualClock(start);
    const assertionFor = signerOn(clock, { lifetimeSeconds: 30, reuseSeconds: 10 });
    const first = assertionFor(caller, 'crm');
    expect(decodeJwt(first).exp).toBe(startSeconds + 30);
    clock.advance(9_000);
    expect(assertionFor(caller, 'crm')).toBe(first);
    clock.advance(1_000);
    expect(assertionFor(caller, 'crm')).not.toBe(first);
  });

  test('keeps separate assertions per backend, per scope set and per environment', () => {
    const assertionFor = signerOn();
    const crm = assertionFor(caller, 'crm');
    expect(assertionFor(caller, 'orders')).not.toBe(crm);
    expect(decodeJwt(assertionFor(caller, 'orders')).aud).toBe('orders');
    const narrowed = assertionFor({ ...caller, scopes: ['crm:read'] }, 'crm');
    expect(decodeJwt(narrowed).scope).toBe('crm:read');
    expect(decodeJwt(assertionFor({ ...caller, environment: 'test' }, 'crm'))[ENVIRONMENT_CLAIM]).toBe(
      'test',
    );
    expect(assertionFor(caller, 'crm')).toBe(crm);
  });

  test('signs again when the clock steps back before the cached assertion was issued', () => {
    const clock = manualClock(start);
    const assertionFor = signerOn(clock);
    const first = assertionFor(caller, 'crm');
    clock.advance(-10_000);
    const again = assertionFor(caller, 'crm');
    expect(again).not.toBe(first);
    expect(decodeJwt(again).iat).toBe(startSeconds - 10);
  });

  test('keeps at most maxEntries credentials, dropping the least recently used, never the one just used', () => {
    const clock = manualClock(start);
    const assertionFor = signerOn(clock, { maxEntries: 2 });
    const [a, b, c] = ['1', '2', '3'].map((n) => ({
      ...caller,
      credentialId: `key_01JD000000000000000000000${n}`,
    }));
    const forA = assertionFor(a!, 'crm');
    const forB = assertionFor(b!, 'crm');
    // A second later, so a re-signed assertion differs (Ed25519 is deterministic, RFC 8032 §5.1.6).
    clock.advance(1_000);
    expect(assertionFor(a!, 'crm')).toBe(forA); // a is now the most recently used
    assertionFor(c!, 'crm'); // evicts b
    expect(assertionFor(a!, 'crm')).toBe(forA);
    expect(assertionFor(b!, 'crm')).not.toBe(forB);
  });

  test('a new scope set for the same credential replaces what was cached for every backend', () => {
    const clock = manualClock(start);
    const assertionFor = signerOn(clock);
    const orders = assertionFor(caller, 'orders');
    assertionFor({ ...caller, scopes: ['crm:read'] }, 'crm');
    clock.advance(1_000);
    expect(assertionFor(caller, 'orders')).not.toBe(orders);
  });

  test('an empty scope set is an empty scope claim', () => {
    expect(decodeJwt(signerOn()({ ...caller, scopes: [] }, 'crm')).scope).toBe('');
  });

  test.each([
    ['a malformed partner id', { partnerId: 'partner-1' }],
    ['a scope with a space', { scopes: ['crm:read crm:write'] }],
    ['an empty credential id', { credentialId: '' }],
  ])('refuses to assert %s (a gateway bug, not a 401 at every backend)', (_label, change) => {
    expect(() => signerOn()({ ...caller, ...change } as CallerIdentity, 'crm')).toThrow(/malformed identity/);
  });

  test.each([
    ['an RSA key', { privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey }, /Ed25519/],
    ['a public key', { privateKey: key.publicKey }, /Ed25519 private key/],
    ['a kid with a colon', { kid: 'a:b' }, /key id/],
    ['reuse ≥ lifetime', { lifetimeSeconds: 60, reuseSeconds: 60 }, /reuseSeconds/],
    ['a zero lifetime', { lifetimeSeconds: 0 }, /lifetimeSeconds/],
  ])('refuses to start with %s', (_label, change, message) => {
    expect(() => signerOn(manualClock(start), change)).toThrow(message);
  });
});
