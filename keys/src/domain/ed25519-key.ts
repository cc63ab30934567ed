// A partner's Ed25519 public key for request signatures (RFC 9421 `ed25519`), registered as a JWK (RFC 8037 §2)
// or as a PEM SubjectPublicKeyInfo (RFC 8410), checked strictly and normalised to the JWK `{ kty, crv, x }` with
// its RFC 7638 thumbprint. A private key is refused: Portico must never hold the partner's private half.
import { createHash, createPublicKey } from 'node:crypto';

/** The stored form of a registered key: exactly the required members of an OKP JWK, in RFC 7638's order. */
export interface Ed25519PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The 32-byte public key, base64url without padding (43 characters). */
  readonly x: string;
}

export interface Ed25519PublicKey {
  readonly jwk: Ed25519PublicJwk;
  /** RFC 7638 SHA-256 thumbprint, base64url: unique per app. */
  readonly thumbprint: string;
  readonly raw: Buffer;
}

export type Ed25519KeyFailure =
  /** A JWK with `d`, or a PEM that holds a private key. */
  | 'private_key'
  /** Another key type or curve (RSA, EC, X25519 …). */
  | 'not_ed25519'
  /** Not a JWK object or PEM text of the expected shape. */
  | 'malformed'
  /** 32 bytes that are not a point of the curve, or not in canonical form. */
  | 'invalid_point'
  /** A point of small order: signatures "by" it can be forged without any private key. */
  | 'weak_key';

export type Ed25519KeyParse =
  | { readonly ok: true; readonly key: Ed25519PublicKey }
  | { readonly ok: false; readonly reason: Ed25519KeyFailure; readonly detail: string };

const DETAILS: Readonly<Record<Ed25519KeyFailure, string>> = Object.freeze({
  private_key: 'This is a private key; register only the public key and keep the private key to yourself.',
  not_ed25519: 'This is not an Ed25519 key.',
  malformed: 'This is not a well-formed Ed25519 public key.',
  invalid_point: 'This is not a valid Ed25519 public key (not a point of the curve in canonical form).',
  weak_key: 'This Ed25519 public key has a small order and cannot be used for signatures.',
});

const BASE64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;

/** Parses a JWK given as a JSON value (already parsed from the request body). */
export function parseEd25519Jwk(jwk: unknown): Ed25519KeyParse {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return failure('malformed');
  const members = jwk as Record<string, unknown>;
  // Checked first: whatever else is wrong, a private key must be called what it is (and never stored or echoed).
  if ('d' in members) return failure('private_key');
  if (members.kty !== 'OKP' || members.crv !== 'Ed25519') return failure('not_ed25519');
  if (typeof members.x !== 'string' || !BASE64URL_32_BYTES.test(members.x)) return failure('malformed');
  const raw = Buffer.from(members.x, 'base64url');
  // base64url of 32 bytes has 43 characters whose last carries 2 unused bits; they must be zero (RFC 4648 §3.5).
  if (raw.length !== 32 || raw.toString('base64url') !== members.x) return failure('malformed');
  return fromRaw(raw);
}

// RFC 8410 §4: the SubjectPublicKeyInfo of an Ed25519 key is this 12-byte header (AlgorithmIdentifier with OID
// 1.3.101.112 and parameters absent) followed by the 32-byte key. Anything else is refused.
const SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');
const PEM_PUBLIC = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END PUBLIC KEY-----\r?\n?$/;

/** Parses a PEM-encoded SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`). */
export function parseEd25519Pem(pem: unknown): Ed25519KeyParse {
  if (typeof pem !== 'string') return failure('malformed');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return failure('private_key');
  const match = PEM_PUBLIC.exec(pem);
  if (match === null) return failure('malformed');
  const der = Buffer.from((match[1] as string).replace(/[\r\n]/g, ''), 'base64');
  if (der.length === SPKI_HEADER.length + 32 && der.subarray(0, SPKI_HEADER.length).equals(SPKI_HEADER)) {
    return fromRaw(der.subarray(SPKI_HEADER.length));
  }
  // Not our exact encoding: tell another key type (a common mistake) from garbage.
  try {
    const type = createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType;
    return failure(type === 'ed25519' ? 'malformed' : 'not_ed25519');
  } catch {
    return failure('malformed');
  }
}

/** Parses the spec's `publicKeyJwk` or `publicKeyPem`, whichever is given (the request schema allows one). */
export function parseEd25519PublicKey(input: { jwk?: unknown; pem?: unknown }): Ed25519KeyParse {
  return input.jwk !== undefined ? parseEd25519Jwk(input.jwk) : parseEd25519Pem(input.pem);
}

/** RFC 7638 §3.2: SHA-256 over the required members in lexicographic order, no whitespace; base64url. */
export function jwkThumbprint(jwk: Ed25519PublicJwk): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

function fromRaw(raw: Buffer): Ed25519KeyParse {
  const point = decodePoint(raw);
  if (point === null) return failure('invalid_point');
  if (hasSmallOrder(point)) return failure('weak_key');
  const jwk: Ed25519PublicJwk = Object.freeze({ kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') });
  return { ok: true, key: Object.freeze({ jwk, thumbprint: jwkThumbprint(jwk), raw: Buffer.from(raw) }) };
}

function failure(reason: Ed25519KeyFailure): Ed25519KeyParse {
  return { ok: false, reason, detail: DETAILS[reason] };
}

// ─── edwards25519 arithmetic (RFC 8032 §5.1), just enough to validate a public key ──────────────────────────────
// OpenSSL accepts any 32 bytes as an Ed25519 public key; registering one that is not a curve point, or one of
// small order, would give the partner a key that never verifies or, worse, one whose "signatures" anyone can make.

const P = 2n ** 255n - 19n;
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = power(2n, (P - 1n) / 4n);

interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function inverse(a: bigint): bigint {
  return power(a, P - 2n);
}

/** RFC 8032 §5.1.3: the point encoded by 32 bytes, or null if they encode none (canonically). */
function decodePoint(raw: Buffer): Point | null {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(raw[i] as number);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return null;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * power(v, 3n) * power(u * power(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else if (vx2 !== u) return null;
  if (x === 0n && sign === 1n) return null;
  if ((x & 1n) !== sign) x = P - x;
  return { x, y };
}

/** The twisted Edwards addition law (a = −1), complete on edwards25519: no exceptional cases. */
function add(p: Point, q: Point): Point {
  const t = mod(D * p.x * q.x * p.y * q.y);
  return {
    x: mod((p.x * q.y + p.y * q.x) * inverse(1n + t)),
    y: mod((p.y * q.y + p.x * q.x) * inverse(1n - t)),
  };
}

/** Whether 8·P is the neutral element (0, 1): P lies in the small (torsion) subgroup. */
function hasSmallOrder(point: Point): boolean {
  let q = point;
  for (let i = 0; i < 3; i++) q = add(q, q);
  return q.x === 0n && q.y === 1n;
}
