// CRC-32 (IEEE 802.3, the polynomial of zlib, PNG and GitHub's token checksums) over the characters of an ASCII
// string, without allocating: the gateway checks a key's checksum on every request before any lookup.

// Reflected polynomial 0xEDB88320. The table is an immutable constant, computed once when the module loads.
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 of `text.slice(start, end)`, read as one byte per character. Callers pass ASCII only (the credential
 * formats are ASCII and are checked before this runs); for such text the result equals `zlib.crc32(text)`.
 */
export function crc32Ascii(text: string, start = 0, end = text.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc = (TABLE[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
