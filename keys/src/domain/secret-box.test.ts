import { generateSigningSecret } from './key-format';
import { createSecretBoxRing, needsReencryption, openSecret, resealSecret, sealSecret } from './secret-box';

const k1 = { id: 'k1', secret: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', secret: Buffer.alloc(32, 2) };
const before = createSecretBoxRing([k1]);
const after = createSecretBoxRing([k2, k1]);
const onlyNew = createSecretBoxRing([k2]);
const owner = 'signing_key:sig_01JDQ7X3S4T1V9KX2M5Q8W0SG1';
const secret = generateSigningSecret('test').secret;
// Computed independently with Python's cryptography (HKDF-SHA256, AESGCM), not with this module.
const GOLDEN = 'v1:k1:CQkJCQkJCQkJCQkJ:44QWQkLCrMsDMFXktTeA:FqmDW9s0Uh81xHS0fXRMZg';

/** Flips one bit of the base64url part `index` (2 nonce, 3 ciphertext, 4 tag) of a stored secret. */
function flipBit(stored: string, index: number): string {
  const parts = stored.split(':');
  const bytes = Buffer.from(parts[index] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('sealSecret and openSecret', () => {
  test('round-trips a signing secret under the current key', () => {
    const stored = sealSecret(before, secret, owner);
    expect(openSecret(before, stored, owner)).toEqual({ ok: true, plaintext: secret });
  });

  test('writes v1:<keyId>:<96-bit nonce>:<ciphertext>:<128-bit tag>, and never the secret', () => {
    const stored = sealSecret(before, secret, owner);
    const [version, keyId, nonce, ciphertext, tag] = stored.split(':');
    expect([version, keyId]).toEqual(['v1', 'k1']);
    expect(Buffer.from(nonce as string, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext as string, 'base64url')).toHaveLength(secret.length);
    expect(Buffer.from(tag as string, 'base64url')).toHaveLength(16);
    expect(stored).not.toContain(secret.slice(9));
  });

  test('uses a fresh nonce every time: the same secret sealed twice gives different ciphertexts', () => {
    expect(sealSecret(before, secret, owner)).not.toBe(sealSecret(before, secret, owner));
  });

  test('round-trips empty and non-ASCII text', () => {
    for (const text of ['', 'Ünïcødé 药房 🔑']) {
      expect(openSecret(before, sealSecret(before, text, owner), owner)).toEqual({
        ok: true,
        plaintext: text,
      });
    }
  });

  test('refuses a ciphertext copied to another owner (the context is authenticated)', () => {
    const stored = sealSecret(before, secret, owner);
    expect(openSecret(before, stored, 'signing_key:sig_01JDQ7X3S4T1V9KX2M5Q8W0SG2')).toEqual({
      ok: false,
      reason: 'rejected',
    });
  });

  test.each([
    ['the nonce', 2],
    ['the ciphertext', 3],
    ['the tag', 4],
  ])('refuses a stored secret with one bit of %s flipped', (_part, index) => {
    const stored = flipBit(sealSecret(before, secret, owner), index);
    expect(openSecret(before, stored, owner)).toEqual({ ok: false, reason: 'rejected' });
  });

  test('refuses a ciphertext relabelled with another key id of the ring (the key id is authenticated)', () => {
    const sealed = sealSecret(after, secret, owner); // under k2
    const relabelled = sealed.replace(/^v1:k2:/, 'v1:k1:');
    expect(openSecret(after, relabelled, owner)).toEqual({ ok: false, reason: 'rejected' });
  });

  test.each([
    ['an empty string', ''],
    ['a plain secret', secret],
    ['another version', 'v2:k1:AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a missing part', 'v1:k1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['an extra part', 'v1:k1:AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA:x'],
    ['an empty key id', 'v1::AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a short nonce', 'v1:k1:AAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA'],
    ['a short tag', 'v1:k1:AAAAAAAAAAAAAAAA:AAAA:AAAA'],
    ['characters outside base64url', 'v1:k1:AAAAAAAAAAAAAAAA:AA+/:AAAAAAAAAAAAAAAAAAAAAA'],
  ])('answers malformed for %s, without throwing', (_case, stored) => {
    expect(openSecret(before, stored, owner)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('key rotation', () => {
  test('opens a secret sealed before the rotation with the previous key still in the ring', () => {
    const stored = sealSecret(before, secret, owner);
    expect(openSecret(after, stored, owner)).toEqual({ ok: true, plaintext: secret });
  });

  test('seals new secrets under the new current key', () => {
    expect(sealSecret(after, secret, owner).startsWith('v1:k2:')).toBe(true);
  });

  test('flags secrets not under the current key (and unreadable ones) for re-encryption', () => {
    expect(needsReencryption(after, sealSecret(before, secret, owner))).toBe(true);
    expect(needsReencryption(after, sealSecret(after, secret, owner))).toBe(false);
    expect(needsReencryption(after, 'garbage')).toBe(true);
  });

  test('reseals an old secret under the current key, after which the old key can leave the ring', () => {
    const old = sealSecret(before, secret, owner);
    const resealed = resealSecret(after, old, owner);
    if (!resealed.ok) throw new Error(resealed.reason);
    expect(needsReencryption(after, resealed.stored)).toBe(false);
    expect(openSecret(onlyNew, resealed.stored, owner)).toEqual({ ok: true, plaintext: secret });
  });

  test('answers unknown_key once the key a secret was sealed with has left the ring', () => {
    const old = sealSecret(before, secret, owner);
    expect(openSecret(onlyNew, old, owner)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(resealSecret(onlyNew, old, owner)).toEqual({ ok: false, reason: 'unknown_key' });
  });
});

describe('createSecretBoxRing', () => {
  test('accepts any configured secret of 32 bytes or more (the AES key is derived from it)', () => {
    const ring = createSecretBoxRing([{ id: 'long', secret: Buffer.alloc(64, 3) }]);
    expect(openSecret(ring, sealSecret(ring, secret, owner), owner)).toEqual({ ok: true, plaintext: secret });
  });

  test('refuses a configured secret shorter than 32 bytes', () => {
    expect(() => createSecretBoxRing([{ id: 'k', secret: Buffer.alloc(31) }])).toThrow(
      /secret encryption key k: must be at least 32 bytes/,
    );
  });

  test('never encrypts with the configured secret itself (HKDF-derived key, RFC 5869)', () => {
    expect(before.current.secret.equals(k1.secret)).toBe(false);
    expect(before.current.secret).toHaveLength(32);
  });

  test('opens a secret stored by an earlier release (golden vector: the stored format never changes)', () => {
    expect(openSecret(before, GOLDEN, owner)).toEqual({ ok: true, plaintext: 'pts_test_golden' });
    expect(sealSecret(before, 'pts_test_golden', owner, () => Buffer.alloc(12, 9))).toBe(GOLDEN);
  });
});
