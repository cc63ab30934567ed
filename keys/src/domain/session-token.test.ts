// Session tokens and their derived CSRF tokens: 256 random bits, never equal to the stored digest, verified in
// constant time against every pepper of the ring so that a rotation does not fail open pages.
import { randomBytes } from 'node:crypto';
import { createPepperRing, digestKey } from './key-digest';
import { csrfTokenFor, generateSessionToken, isSessionTokenShaped, verifyCsrfToken } from './session-token';

const P1 = { id: 'p1', secret: randomBytes(32) };
const P2 = { id: 'p2', secret: randomBytes(32) };

describe('session tokens', () => {
  test('a session token is 32 random bytes in base64url, different every time', () => {
    const a = generateSessionToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateSessionToken()).not.toBe(a);
    expect(isSessionTokenShaped(a)).toBe(true);
    expect(isSessionTokenShaped(`${a}x`)).toBe(false);
    expect(isSessionTokenShaped(42)).toBe(false);
  });

  test('the CSRF token has the shape of the spec, is stable per session and is not the stored digest', () => {
    const ring = createPepperRing([P1]);
    const token = generateSessionToken();
    const csrf = csrfTokenFor(ring, token);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenFor(ring, token)).toBe(csrf);
    expect(csrf).not.toBe(digestKey(P1, token));
    expect(csrfTokenFor(ring, generateSessionToken())).not.toBe(csrf);
  });

  test("only the session's own CSRF token verifies", () => {
    const ring = createPepperRing([P1]);
    const token = generateSessionToken();
    const other = generateSessionToken();
    expect(verifyCsrfToken(ring, token, csrfTokenFor(ring, token))).toBe(true);
    expect(verifyCsrfToken(ring, token, csrfTokenFor(ring, other))).toBe(false);
    expect(verifyCsrfToken(ring, token, csrfTokenFor(ring, token).slice(1))).toBe(false);
    expect(verifyCsrfToken(ring, token, '')).toBe(false);
    expect(verifyCsrfToken(ring, token, undefined)).toBe(false);
    expect(verifyCsrfToken(ring, token, digestKey(P1, token))).toBe(false);
  });

  test('a CSRF token made before a pepper rotation still verifies, until its pepper leaves the ring', () => {
    const token = generateSessionToken();
    const before = csrfTokenFor(createPepperRing([P1]), token);
    expect(verifyCsrfToken(createPepperRing([P2, P1]), token, before)).toBe(true);
    expect(verifyCsrfToken(createPepperRing([P2]), token, before)).toBe(false);
  });
});
