// The Ed25519 key pairs the gateway signs identity assertions with (RFC 8037): parsed from PKCS#8, generated for
// the embedded defaults, and reduced to the kid → public key map a backend verifies with. The first key of a ring is
// current (signs); the others stay accepted so a rotation never refuses an assertion still in flight.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface IdentityKey {
  /** The JWS `kid` (RFC 7515 §4.1.4) that names this key in every assertion it signs. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** Ordered: the first key signs, all of them verify. */
export type IdentityKeyRing = readonly IdentityKey[];

/** Short, header-safe ids, as for the other secret rings (`i1`, `2026-06`). */
export const IDENTITY_KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Reads a base64url PKCS#8 DER Ed25519 private key, or throws an Error saying why not. Only Ed25519: the verifier
 * pins EdDSA, so a P-256 or RSA key here would sign assertions nobody accepts.
 */
export function parseIdentityPrivateKey(encoded: string): KeyObject {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error('must be base64url (PKCS#8 DER)');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(encoded, 'base64url'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('is not a PKCS#8 private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

export function identityKeyFrom(kid: string, encodedPrivateKey: string): IdentityKey {
  const privateKey = parseIdentityPrivateKey(encodedPrivateKey);
  return Object.freeze({ kid, privateKey, publicKey: createPublicKey(privateKey) });
}

/** The base64url PKCS#8 DER form PORTICO_IDENTITY_KEYS and secrets.json hold. */
export function encodeIdentityPrivateKey(privateKey: KeyObject): string {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
}

/** A fresh key pair and its encoded private half, for the embedded defaults and tests. */
export function generateIdentityKey(kid: string): { key: IdentityKey; encoded: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    key: Object.freeze({ kid, privateKey, publicKey }),
    encoded: encodeIdentityPrivateKey(privateKey),
  };
}

/** What a backend needs: the public half of every key of the ring, by kid. */
export function identityPublicKeys(ring: IdentityKeyRing): ReadonlyMap<string, KeyObject> {
  return new Map(ring.map((key) => [key.kid, key.publicKey]));
}

/** The command the configuration errors and the README suggest for making a PORTICO_IDENTITY_KEYS value. */
export const GENERATE_IDENTITY_KEY_COMMAND =
  `node -e "console.log('i1:' + require('crypto').generateKeyPairSync('ed25519').privateKey` +
  `.export({ format: 'der', type: 'pkcs8' }).toString('base64url'))"`;
