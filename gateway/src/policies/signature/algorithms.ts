// The two signature algorithms of the profile (RFC 9421 §3.3.3 `hmac-sha256`, §3.3.6 `ed25519`) and the key
// material each needs. The algorithm used is always the key's registered one; the message's `alg` is only checked
// against it (RFC 9421 §3.2: an algorithm named in more than one place must agree, and the set is the server's).
import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export type SignatureAlgorithm = 'hmac-sha256' | 'ed25519';

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = Object.freeze(['hmac-sha256', 'ed25519']);

/** What the verifier needs of a key; a key source returns this plus whatever the app wants back (partner …). */
export interface SigningKeyMaterial {
  /** The `keyid` of the signatures it makes. */
  readonly keyId: string;
  /** The algorithm the key was registered for. */
  readonly algorithm: SignatureAlgorithm;
  /** hmac-sha256: the shared secret's bytes. */
  readonly secret?: Buffer;
  /** ed25519: the registered public key. */
  readonly publicKey?: KeyObject;
}

/** What a signer holds: the secret, or the Ed25519 private key that only the partner has. */
export interface SignerKey {
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly secret?: Buffer;
  readonly privateKey?: KeyObject;
}

const HMAC_SHA256_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return value === 'hmac-sha256' || value === 'ed25519';
}

/** Whether `signature` is the key's signature of `base`; false for a key without the material it needs. */
export function verifySignatureBytes(key: SigningKeyMaterial, base: string, signature: Buffer): boolean {
  const data = Buffer.from(base, 'utf8');
  if (key.algorithm === 'hmac-sha256') {
    if (key.secret === undefined || key.secret.length === 0) return false;
    if (signature.length !== HMAC_SHA256_BYTES) return false;
    // Constant time: a byte-by-byte comparison would leak how much of a forged MAC is right.
    return timingSafeEqual(createHmac('sha256', key.secret).update(data).digest(), signature);
  }
  if (key.publicKey === undefined || key.publicKey.asymmetricKeyType !== 'ed25519') return false;
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    // RFC 8032 Ed25519 (pure): node:crypto takes no digest name for it.
    return verify(null, data, key.publicKey, signature);
  } catch {
    return false;
  }
}

/** The signature of `base` with the signer's key (RFC 9421 §3.3.3, §3.3.6). Throws if the material is missing. */
export function signatureBytes(key: SignerKey, base: string): Buffer {
  const data = Buffer.from(base, 'utf8');
  if (key.algorithm === 'hmac-sha256') {
    if (key.secret === undefined || key.secret.length === 0) throw new Error('hmac-sha256 needs the secret');
    return createHmac('sha256', key.secret).update(data).digest();
  }
  if (key.privateKey === undefined || key.privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('ed25519 needs an Ed25519 private key');
  }
  return sign(null, data, key.privateKey);
}
