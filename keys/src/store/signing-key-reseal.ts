// Step 3 of rotating PORTICO_SECRET_KEYS for the HMAC signing secrets (keys/README.md): every sealed secret not
// under the ring's current key is opened and sealed again under it, bound to its key's id as before. The issuer
// keys' private halves have their own job (resealIssuerKeys in keys/src/oauth/issuer-key-lifecycle.ts).
//
// No audit event: the secret, its owner and everything a partner can see stay the same (the spec's audit actions
// name changes to credentials, and this is none), as with the issuer keys and the re-digesting of peppers.
import { needsReencryption, resealSecret, type SecretBoxRing } from '../domain/secret-box';
import type { KeysStoreDeps } from './deps';
import { signingKeyContext } from './signing-keys';

/**
 * Re-seals every HMAC signing secret under the ring's current encryption key. Revoked keys are included, so that no
 * row is left under the old key and it can leave the ring. Returns how many rows it rewrote; a row that changed
 * meanwhile (another process re-sealed it first) is skipped. Throws, naming the row, if a secret cannot be opened
 * (its key left the ring too early, or the row was altered).
 */
export async function resealSigningKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  ring: SecretBoxRing,
): Promise<number> {
  let count = 0;
  for (const row of await listSigningKeysToReseal(deps, ring.current.id)) {
    if (!needsReencryption(ring, row.secretCiphertext)) continue;
    const resealed = resealSecret(ring, row.secretCiphertext, signingKeyContext(row.id));
    if (!resealed.ok) throw new Error(`signing key ${row.id}: cannot be re-sealed (${resealed.reason})`);
    const replaced = await replaceSigningKeyCiphertext(deps, row.id, row.secretCiphertext, {
      secretCiphertext: resealed.stored,
      encryptionKeyId: ring.current.id,
    });
    if (replaced) count += 1;
  }
  return count;
}

/** Keys whose secret is sealed under another encryption key than `currentKeyId` (Ed25519 keys have none). */
async function listSigningKeysToReseal(
  deps: Pick<KeysStoreDeps, 'db'>,
  currentKeyId: string,
): Promise<{ id: string; secretCiphertext: string }[]> {
  const rows = await deps.db
    .selectFrom('signing_keys')
    .select(['id', 'secret_ciphertext'])
    .where('secret_ciphertext', 'is not', null)
    .where((eb) => eb.or([eb('encryption_key_id', 'is', null), eb('encryption_key_id', '!=', currentKeyId)]))
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, secretCiphertext: row.secret_ciphertext as string }));
}

/** Replaces a key's sealed secret, only if it is still the one that was read (a concurrent reseal wins once). */
async function replaceSigningKeyCiphertext(
  deps: Pick<KeysStoreDeps, 'db'>,
  id: string,
  from: string,
  to: { secretCiphertext: string; encryptionKeyId: string },
): Promise<boolean> {
  const result = await deps.db
    .updateTable('signing_keys')
    .set({ secret_ciphertext: to.secretCiphertext, encryption_key_id: to.encryptionKeyId })
    .where('id', '=', id)
    .where('secret_ciphertext', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
