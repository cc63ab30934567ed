// Member passwords: scrypt (RFC 7914) from node:crypto with a random salt per hash, stored as
// `scrypt$N$r$p$<salt>$<hash>` (base64url) so the cost can be raised later and old hashes upgraded at sign-in.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 × N × r bytes. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelisation; Node computes the p lanes one after another, so p multiplies time, not memory. */
  readonly p: number;
  readonly saltBytes: number;
  readonly hashBytes: number;
}

/**
 * OWASP's Password Storage Cheat Sheet lists N=2^17,r=8,p=1 and, as equal in cost, N=2^15,r=8,p=3. We take the
 * latter: 32 MiB per hash instead of 128 MiB, so a burst of sign-ins (4 at a time on libuv's pool) cannot take
 * half a gigabyte. About 0.35 s of one core each (measured on the development machine).
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({
  N: 2 ** 15,
  r: 8,
  p: 3,
  saltBytes: 16,
  hashBytes: 32,
});

// Bounds on what a stored hash may ask for: a tampered row must not be able to make sign-in allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Hashes a password for storage. Runs on libuv's thread pool (async scrypt), not on the event loop. */
export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(params.saltBytes);
  const hash = await derive(password, salt, params.N, params.r, params.p, params.hashBytes);
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$');
}

/**
 * Whether `password` matches the stored hash, compared in constant time. A stored value that is not a valid
 * hash (or asks for excessive cost) matches nothing: sign-in fails rather than crashing or stalling.
 */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (parsed === null) return false;
  const hash = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(hash, parsed.hash);
}

/**
 * Spends the time of a verification and returns false: for a sign-in with an unknown email, so that response
 * time does not tell which emails have accounts.
 */
export async function verifyPasswordOfNoOne(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<false> {
  await derive(password, Buffer.alloc(params.saltBytes), params.N, params.r, params.p, params.hashBytes);
  return false;
}

/** Whether a stored hash was made with other parameters than `params` (rehash it after a successful sign-in). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parsePasswordHash(stored);
  return (
    parsed === null ||
    parsed.N !== params.N ||
    parsed.r !== params.r ||
    parsed.p !== params.p ||
    parsed.salt.length !== params.saltBytes ||
    parsed.hash.length !== params.hashBytes
  );
}

export interface ParsedPasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** The parts of a stored hash, or null if it is not one this module would accept. */
export function parsePasswordHash(stored: string): ParsedPasswordHash | null {
  const fields = stored.split('$');
  if (fields.length !== 6 || fields[0] !== 'scrypt') return null;
  const [, nText, rText, pText, saltText, hashText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const N = integer(nText);
  const r = integer(rText);
  const p = integer(pText);
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(saltText) || !/^[A-Za-z0-9_-]+$/.test(hashText)) return null;
  const salt = Buffer.from(saltText, 'base64url');
  const hash = Buffer.from(hashText, 'base64url');
  if (salt.length < 16 || salt.length > 64 || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

/** A decimal integer without sign, leading zeros or exponent; -1 otherwise. */
function integer(text: string): number {
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : -1;
}

function derive(
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  bytes: number,
): Promise<Buffer> {
  // NIST SP 800-63B §5.1.1.2: normalise Unicode (NFKC) so the same password typed on another keyboard or OS
  // (composed é versus e + combining accent) still matches.
  const normalised = Buffer.from(password.normalize('NFKC'), 'utf8');
  // Node refuses when 128 × N × r exceeds maxmem (32 MiB by default, exactly our default's need): allow twice it.
  const maxmem = 256 * N * r;
  return new Promise((resolve, reject) => {
    scrypt(normalised, salt, bytes, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
