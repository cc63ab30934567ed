// Encryption at rest for the one secret the verifier needs in clear: the HMAC signing secret (RFC 9421 needs the
// shared key itself). AES-256-GCM with a random 96-bit nonce, bound to its owner, under a key ring from config.
//
// Stored form: `v1:<keyId>:<nonce>:<ciphertext>:<tag>`, each part base64url. The associated data is
// `portico-secret-box:v1:<keyId>:<context>`, where context names the owner (`signing_key:sig_01J…`): a
// ciphertext copied onto another row, or relabelled with another key id, fails authentication.
// OAuth client secrets are not here: the client presents its secret, so a keyed digest suffices (key-digest.ts).
//
// The AES key is derived from each configured secret with HKDF-SHA256 (RFC 5869), so any secret of 32 bytes or
// more works and the same configured secret could never double as a key of another purpose.
//
// Limits: with random nonces NIST SP 800-38D §8.3 allows 2^32 encryptions per key; Portico makes one per signing
// key created, far below. Rotation (also in keys/README.md): put a new key first in PORTICO_SECRET_KEYS
// (`2026b:<new>,2026a:<old>`); new secrets use it, old ciphertexts still open with the old key, `npm run keys --
// reseal` re-encrypts every row for which needsReencryption() is true (resealSecret); then the old key can go.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { RandomBytes } from './base62';
import { createSecretRing } from './secret-ring';
import type { RingSecret, SecretRing } from './secret-ring';

export const SECRET_BOX_RULES = Object.freeze({ name: 'secret encryption key', minBytes: 32 });

/** A ring of derived AES-256 keys; only createSecretBoxRing makes one, so a raw configured secret is never used. */
export interface SecretBoxRing extends SecretRing {
  readonly purpose: 'secret-box';
}

const HKDF_INFO = 'portico secret-box v1 aes-256-gcm';

/** The encryption ring from configuration (config.secretKeys), current first. Throws if it is invalid. */
export function createSecretBoxRing(secrets: readonly RingSecret[]): SecretBoxRing {
  const configured = createSecretRing(secrets, SECRET_BOX_RULES);
  const derived = createSecretRing(
    [...configured.byId.values()].map(({ id, secret }) => ({
      id,
      secret: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), HKDF_INFO, 32)),
    })),
    { ...SECRET_BOX_RULES, exactBytes: 32 },
  );
  return Object.freeze({ ...derived, purpose: 'secret-box' as const });
}

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type OpenFailure = 'malformed' | 'unknown_key' | 'rejected';

export type OpenResult =
  { readonly ok: true; readonly plaintext: string } | { readonly ok: false; readonly reason: OpenFailure };

/** Encrypts `plaintext` under the ring's current key, bound to `context` (the owner, e.g. `signing_key:<id>`). */
export function sealSecret(
  ring: SecretBoxRing,
  plaintext: string,
  context: string,
  random: RandomBytes = randomBytes,
): string {
  const { id, secret } = ring.current;
  const nonce = Buffer.from(random(NONCE_BYTES));
  const cipher = createCipheriv('aes-256-gcm', secret, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, id, nonce, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

/**
 * Decrypts a stored secret with whichever key of the ring it names. A failure is a value: `malformed` (not this
 * format), `unknown_key` (its key left the ring), `rejected` (altered, or bound to another context).
 */
export function openSecret(ring: SecretBoxRing, stored: string, context: string): OpenResult {
  const parts = parse(stored);
  if (parts === null) return { ok: false, reason: 'malformed' };
  const key = ring.byId.get(parts.keyId);
  if (key === undefined) return { ok: false, reason: 'unknown_key' };
  const decipher = createDecipheriv('aes-256-gcm', key.secret, parts.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(parts.keyId, context));
  decipher.setAuthTag(parts.tag);
  try {
    const plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    return { ok: true, plaintext };
  } catch {
    // final() throws when the tag does not verify; nothing of the plaintext is released.
    return { ok: false, reason: 'rejected' };
  }
}

/** Whether a stored secret is under a key other than the current one (or unreadable) and should be resealed. */
export function needsReencryption(ring: SecretBoxRing, stored: string): boolean {
  return parse(stored)?.keyId !== ring.current.id;
}

/** The stored secret re-encrypted under the current key, for the rotation job; the failure if it cannot be read. */
export function resealSecret(
  ring: SecretBoxRing,
  stored: string,
  context: string,
  random: RandomBytes = randomBytes,
): { readonly ok: true; readonly stored: string } | { readonly ok: false; readonly reason: OpenFailure } {
  const opened = openSecret(ring, stored, context);
  if (!opened.ok) return opened;
  return { ok: true, stored: sealSecret(ring, opened.plaintext, context, random) };
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`portico-secret-box:${VERSION}:${keyId}:${context}`, 'utf8');
}

interface Parts {
  readonly keyId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function parse(stored: string): Parts | null {
  const fields = stored.split(':');
  if (fields.length !== 5 || fields[0] !== VERSION) return null;
  const [, keyId, nonce, ciphertext, tag] = fields as [string, string, string, string, string];
  if (keyId === '' || ![nonce, ciphertext, tag].every((part) => BASE64URL.test(part))) return null;
  const parts = {
    keyId,
    nonce: Buffer.from(nonce, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (parts.nonce.length !== NONCE_BYTES || parts.tag.length !== TAG_BYTES) return null;
  return parts;
}
