import { BASE62_ALPHABET, base62Digit, decodeBase62, encodeBase62Fixed, randomBase62 } from './base62';

/** A random source that replays the given bytes (cycling), for deterministic tests. */
function replay(bytes: number[]): (size: number) => Uint8Array {
  let at = 0;
  return (size) => Uint8Array.from({ length: size }, () => bytes[at++ % bytes.length] as number);
}

describe('base62', () => {
  test('the alphabet is the 62 ASCII letters and digits, in ASCII order', () => {
    expect(BASE62_ALPHABET).toHaveLength(62);
    expect([...BASE62_ALPHABET].sort().join('')).toBe(BASE62_ALPHABET);
    expect(BASE62_ALPHABET).toMatch(/^[0-9A-Za-z]+$/);
  });

  test.each([
    [0, 6, '000000'],
    [61, 1, 'z'],
    [62, 2, '10'],
    [0xffffffff, 6, '4gfFC3'],
    [62 ** 6 - 1, 6, 'zzzzzz'],
  ])('encodes %d in exactly %d digits as %s and decodes it back', (value, width, text) => {
    expect(encodeBase62Fixed(value, width)).toBe(text);
    expect(decodeBase62(text)).toBe(value);
  });

  test.each([
    [-1, 6],
    [62 ** 6, 6],
    [1.5, 6],
    [Number.MAX_SAFE_INTEGER + 1, 12],
  ])('refuses to encode %d in %d digits rather than truncating it', (value, width) => {
    expect(() => encodeBase62Fixed(value, width)).toThrow(RangeError);
  });

  test.each(['-', '_', ' ', '/', '+', '=', 'é', '\u0000'])(
    'does not read %j as a base62 digit',
    (character) => {
      expect(base62Digit(character.charCodeAt(0))).toBe(-1);
      expect(decodeBase62(`ab${character}`)).toBe(-1);
    },
  );

  test('reads every alphabet character as its position', () => {
    for (let i = 0; i < 62; i++) expect(base62Digit(BASE62_ALPHABET.charCodeAt(i))).toBe(i);
  });

  test('random strings have the asked length and only alphabet characters', () => {
    for (const length of [1, 30, 36, 44, 100]) {
      const text = randomBase62(length);
      expect(text).toHaveLength(length);
      expect(text).toMatch(/^[0-9A-Za-z]+$/);
    }
  });

  test('skips bytes of 248 and above so that every character is equally likely', () => {
    // 248..255 would map to 0..7 a 5th time; they must be discarded, not folded in.
    expect(randomBase62(4, replay([248, 255, 0, 61, 250, 36, 10]))).toBe('0zaA');
  });

  test('keeps drawing when a whole batch is rejected', () => {
    const source = replay([...Array<number>(40).fill(255), 1]);
    expect(randomBase62(2, source)).toBe('11');
  });

  test('draws characters close to uniformly (chi-squared over 62 000 characters)', () => {
    const counts = new Map<string, number>();
    for (const character of randomBase62(62_000)) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = 1000;
    const chiSquared = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 61 degrees of freedom: p < 1e-6 beyond ~120. A modulo-biased generator scores in the thousands.
    expect(chiSquared).toBeLessThan(120);
  });
});
