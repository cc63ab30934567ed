import { createHash } from 'node:crypto';
import { generateApiKey } from './key-format';
import {
  candidateDigests,
  checkAgainstDigest,
  createPepperRing,
  digestKey,
  needsRedigest,
  sameDigest,
  storedDigest,
} from './key-digest';

const oldPepper = { id: 'p1', secret: Buffer.alloc(32, 1) };
const newPepper = { id: 'p2', secret: Buffer.alloc(32, 2) };
const rotated = createPepperRing([newPepper, oldPepper]);
const single = createPepperRing([oldPepper]);

describe('digestKey', () => {
  test('is HMAC-SHA256 of the key under the pepper (RFC 4231 test case 2), in base64url', () => {
    const jefe = { id: 'rfc', secret: Buffer.from('Jefe') };
    const expectedHex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(digestKey(jefe, 'what do ya want for nothing?')).toBe(
      Buffer.from(expectedHex, 'hex').toString('base64url'),
    );
  });

  test('is 43 base64url characters: the fixed-size form the unique index stores', () => {
    expect(digestKey(oldPepper, generateApiKey('test').key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('depends on the pepper: the same key under another pepper has an unrelated digest', () => {
    const key = generateApiKey('test').key;
    expect(digestKey(oldPepper, key)).not.toBe(digestKey(newPepper, key));
  });

  test('is neither the key nor its plain SHA-256: a dump cannot be checked against candidate keys', () => {
    const key = generateApiKey('live').key;
    expect(digestKey(oldPepper, key)).not.toBe(createHash('sha256').update(key).digest('base64url'));
    expect(digestKey(oldPepper, key)).not.toContain(key.slice(13, 30));
  });
});

describe('storedDigest', () => {
  test('digests a new secret with the current pepper and names it', () => {
    const key = generateApiKey('test').key;
    expect(storedDigest(rotated, key)).toEqual({ pepperId: 'p2', digest: digestKey(newPepper, key) });
  });
});

describe('createPepperRing', () => {
  test('refuses a pepper shorter than 32 bytes', () => {
    expect(() => createPepperRing([{ id: 'p1', secret: Buffer.alloc(31) }])).toThrow(
      /key pepper p1: must be at least 32/,
    );
  });
});

describe('candidateDigests', () => {
  test('lists the current pepper’s digest first, then each older one’s', () => {
    const key = generateApiKey('test').key;
    expect(candidateDigests(rotated, key)).toEqual([
      { pepperId: 'p2', digest: digestKey(newPepper, key) },
      { pepperId: 'p1', digest: digestKey(oldPepper, key) },
    ]);
  });

  test('finds a key stored before the rotation among the candidates after it', () => {
    const key = generateApiKey('test').key;
    const storedBefore = storedDigest(single, key);
    expect(candidateDigests(rotated, key)).toContainEqual(storedBefore);
  });

  test('has one candidate when the ring has one pepper', () => {
    expect(candidateDigests(single, 'ptc_test_x')).toHaveLength(1);
  });
});

describe('needsRedigest', () => {
  test.each([
    ['the current pepper', 'p2', false],
    ['an older pepper', 'p1', true],
    ['a pepper no longer in the ring', 'p0', true],
  ])('a digest made with %s → %s', (_case, pepperId, expected) => {
    expect(needsRedigest(rotated, pepperId)).toBe(expected);
  });
});

describe('sameDigest', () => {
  const a = digestKey(oldPepper, 'one');
  test.each([
    ['the same digest', a, a, true],
    ['a digest differing in the last character', a, a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A'), false],
    ['a digest of another length', a, a.slice(0, -1), false],
    ['an empty string', a, '', false],
    ['two empty strings', '', '', true],
  ])('compares %s → %s', (_case, left, right, expected) => {
    expect(sameDigest(left, right)).toBe(expected);
  });
});

describe('checkAgainstDigest', () => {
  const key = generateApiKey('live').key;

  test('matches the right key under the current pepper, with no redigest needed', () => {
    expect(checkAgainstDigest(rotated, storedDigest(rotated, key), key)).toEqual({
      matches: true,
      needsRedigest: false,
    });
  });

  test('matches the right key under an older pepper and asks for a redigest', () => {
    expect(checkAgainstDigest(rotated, storedDigest(single, key), key)).toEqual({
      matches: true,
      needsRedigest: true,
    });
  });

  test.each([
    ['another key', () => storedDigest(rotated, key), generateApiKey('live').key],
    [
      'a digest whose pepper left the ring',
      () => ({ pepperId: 'p0', digest: digestKey(oldPepper, key) }),
      key,
    ],
    [
      'a digest labelled with the wrong pepper',
      () => ({ pepperId: 'p2', digest: digestKey(oldPepper, key) }),
      key,
    ],
  ])('does not match %s', (_case, stored, presented) => {
    expect(checkAgainstDigest(rotated, stored(), presented)).toEqual({ matches: false });
  });
});
