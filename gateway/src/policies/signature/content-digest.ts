// RFC 9530 `Content-Digest`: a Dictionary of algorithm → byte sequence over the content exactly as sent (after any
// content coding, so over the raw bytes the gateway read). The signature covers the header; this module ties the
// header to the body. Only sha-256 and sha-512 count: the RFC marks md5, sha, unixsum, unixcksum, adler and crc32c
// insecure or deprecated, and a digest that is not collision resistant would let a signed header vouch for
// another body.
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseDictionary } from './structured-fields';
import { serializeDictionary } from './structured-fields-serialize';

export type DigestAlgorithm = 'sha-256' | 'sha-512';

// A Map, not an object: member names come from the message, and `constructor` is a valid sf-key.
const HASHES: ReadonlyMap<string, { node: string; bytes: number }> = new Map([
  ['sha-256', { node: 'sha256', bytes: 32 }],
  ['sha-512', { node: 'sha512', bytes: 64 }],
]);

export type DigestCheck =
  | 'match'
  /** A supported digest differs from the body's. */
  | 'mismatch'
  /** Well-formed, but no sha-256 or sha-512 member: nothing we trust ties the header to the body. */
  | 'unsupported'
  /** Not an RFC 8941 Dictionary of byte sequences. */
  | 'malformed';

/**
 * Checks a `Content-Digest` value against the raw body (empty when there is none). Every supported member must
 * match; members with other algorithms are ignored (RFC 9530 §2: a recipient may ignore unsupported ones).
 */
export function checkContentDigest(header: string, body: Buffer | undefined): DigestCheck {
  const members = parseDictionary(header);
  if (members === undefined || members.size === 0) return 'malformed';
  let checked = 0;
  for (const [name, member] of members) {
    if (member.kind !== 'item' || member.value.type !== 'bytes') return 'malformed';
    const hash = HASHES.get(name);
    if (hash === undefined) continue;
    const presented = member.value.value;
    if (presented.length !== hash.bytes) return 'mismatch';
    const actual = createHash(hash.node)
      .update(body ?? Buffer.alloc(0))
      .digest();
    // Not secret, but constant-time costs nothing and keeps every comparison in this folder the same.
    if (!timingSafeEqual(actual, presented)) return 'mismatch';
    checked += 1;
  }
  return checked > 0 ? 'match' : 'unsupported';
}

/** The header value a signer sends, e.g. `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`. */
export function contentDigest(body: Buffer | string, algorithm: DigestAlgorithm = 'sha-256'): string {
  const digest = createHash((HASHES.get(algorithm) as { node: string }).node)
    .update(body)
    .digest();
  return serializeDictionary(
    new Map([[algorithm, { kind: 'item', value: { type: 'bytes', value: digest }, params: new Map() }]]),
  );
}
