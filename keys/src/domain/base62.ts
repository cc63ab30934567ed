// Base62 (0-9, A-Z, a-z): uniformly random strings for secret bodies, and the fixed-width encoding of checksums.
// Base62 survives double-click selection, URLs, headers and shells without quoting, unlike base64's + / = _ -.
import { randomBytes } from 'node:crypto';

export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** log2(62): the entropy of one uniformly random base62 character, about 5.954 bits. */
export const BITS_PER_BASE62_CHAR = Math.log2(62);

/** A source of random bytes; crypto.randomBytes in production, a fixed sequence in tests. */
export type RandomBytes = (size: number) => Uint8Array;

// Rejection sampling: a byte is used only when it is below 248 (= 4 × 62), so `byte % 62` is exactly uniform.
// Taking `byte % 62` of every byte would make the first 8 characters 25% likelier than the others.
const ACCEPT_BELOW = 248;

/** A string of `length` characters, each uniformly random over the 62 characters of the alphabet. */
export function randomBase62(length: number, random: RandomBytes = randomBytes): string {
  let out = '';
  while (out.length < length) {
    // About 3.1% of bytes are rejected; asking for a few more than needed makes a second round rare.
    const bytes = random(length - out.length + 8);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i] as number;
      if (byte < ACCEPT_BELOW) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}

/** `value` (a non-negative integer) in exactly `width` base62 digits, most significant first, zero-padded. */
export function encodeBase62Fixed(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 62 ** width) {
    throw new RangeError(`${value} does not fit in ${width} base62 digits`);
  }
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62_ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** The value of one base62 character code, or -1 if it is not one. Branches only; no lookup allocation. */
export function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 90) return code - 55; // A-Z → 10-35
  if (code >= 97 && code <= 122) return code - 61; // a-z → 36-61
  return -1;
}

/** The integer written by `text.slice(start, end)` in base62, or -1 if a character is not base62. */
export function decodeBase62(text: string, start = 0, end = text.length): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = base62Digit(text.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 62 + digit;
  }
  return value;
}
