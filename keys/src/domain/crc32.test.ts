import zlib from 'node:zlib';
import { crc32Ascii } from './crc32';

describe('crc32Ascii', () => {
  test.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926], // the CRC-32/ISO-HDLC check value
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('matches the published CRC-32 of %j', (text, expected) => {
    expect(crc32Ascii(text)).toBe(expected);
  });

  test('agrees with zlib.crc32 on every ASCII character and on long random ASCII strings', () => {
    for (let code = 0; code < 128; code++) {
      const text = `x${String.fromCharCode(code)}y`;
      expect(crc32Ascii(text)).toBe(zlib.crc32(text));
    }
    for (let n = 0; n < 200; n++) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7919 + n) % 95))).join(
        '',
      );
      expect(crc32Ascii(text)).toBe(zlib.crc32(text));
    }
  });

  test('computes the checksum of a slice without copying it', () => {
    const text = 'prefix:123456789:suffix';
    expect(crc32Ascii(text, 7, 16)).toBe(0xcbf43926);
  });

  test('always returns an unsigned 32-bit integer', () => {
    for (const text of ['\u007f\u007f\u007f', 'zzzzzzzzzzzz', 'ptc_live_']) {
      const value = crc32Ascii(text);
      expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
    }
  });
});
