import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  verifyPassword,
  verifyPasswordOfNoOne,
} from './password';
import type { ScryptParams } from './password';

// Cheap parameters keep the suite fast; one test runs the production defaults.
const cheap: ScryptParams = { N: 2 ** 10, r: 8, p: 1, saltBytes: 16, hashBytes: 32 };
const password = 'correct horse battery staple';

describe('hashPassword', () => {
  test('stores scrypt$N$r$p$salt$hash with the parameters it used', async () => {
    const stored = await hashPassword(password, cheap);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  test('salts every hash: the same password hashes differently twice', async () => {
    expect(await hashPassword(password, cheap)).not.toBe(await hashPassword(password, cheap));
  });

  test('never contains the password', async () => {
    expect(await hashPassword(password, cheap)).not.toContain('horse');
  });

  test('uses the OWASP-equivalent defaults N=2^15, r=8, p=3 and verifies with them', async () => {
    const stored = await hashPassword(password);
    expect(stored.startsWith('scrypt$32768$8$3$')).toBe(true);
    expect(await verifyPassword(stored, password)).toBe(true);
  });
});

describe('verifyPassword', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(password, cheap);
  });

  test.each([
    ['the same password', password, true],
    ['another password', 'correct horse battery stapler', false],
    ['the password in other case', password.toUpperCase(), false],
    ['the password with a trailing space', `${password} `, false],
    ['an empty password', '', false],
  ])('accepts only the right password: %s → %s', async (_case, candidate, expected) => {
    expect(await verifyPassword(stored, candidate)).toBe(expected);
  });

  test('matches the same text in another Unicode normal form (NFKC, NIST SP 800-63B)', async () => {
    const composed = 'café-pharmacy-2026'; // é as one code point
    const decomposed = 'cafe\u0301-pharmacy-2026'; // e + combining acute accent
    const hashed = await hashPassword(composed, cheap);
    expect(await verifyPassword(hashed, decomposed)).toBe(true);
  });

  test.each([
    ['an empty string', ''],
    ['another algorithm', '$2b$10$abcdefghijklmnopqrstuv'],
    ['a missing field', 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA'],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
    [
      'N of 2^21 (a tampered row asking for gigabytes)',
      'scrypt$2097152$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA',
    ],
    ['r of 0', 'scrypt$1024$0$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
    ['p of 17', 'scrypt$1024$8$17$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
    ['a number with leading zeros', 'scrypt$01024$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
    ['a salt of 8 bytes', 'scrypt$1024$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'],
    ['a salt that is not base64url', 'scrypt$1024$8$1$c2FsdH+hbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaA'],
  ])('matches nothing, without throwing, against %s', async (_case, badStored) => {
    expect(parsePasswordHash(badStored)).toBeNull();
    expect(await verifyPassword(badStored, password)).toBe(false);
  });
});

describe('verifyPasswordOfNoOne', () => {
  test('always answers false, after doing the work of a verification', async () => {
    expect(await verifyPasswordOfNoOne(password, cheap)).toBe(false);
  });
});

describe('needsRehash', () => {
  test.each<[string, Partial<ScryptParams>, boolean]>([
    ['the same parameters', {}, false],
    ['a higher N', { N: 2 ** 11 }, true],
    ['another r', { r: 16 }, true],
    ['another p', { p: 2 }, true],
    ['a longer salt', { saltBytes: 32 }, true],
    ['a longer hash', { hashBytes: 64 }, true],
  ])('compared with %s → %s', async (_case, change, expected) => {
    const stored = await hashPassword(password, cheap);
    expect(needsRehash(stored, { ...cheap, ...change })).toBe(expected);
  });

  test('asks to rehash a value that is not a valid hash', () => {
    expect(needsRehash('not a hash', cheap)).toBe(true);
  });

  test('compares with the defaults when no parameters are given', async () => {
    expect(needsRehash(await hashPassword(password, cheap))).toBe(true);
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 3, saltBytes: 16, hashBytes: 32 });
  });
});
