// Re-sealing the HMAC signing secrets after PORTICO_SECRET_KEYS rotates, on both engines: every secret ends under
// the new key and still opens to the same value for its own key only, concurrent runs rewrite each row once, and a
// secret that cannot be opened stops the job with the row's id.
import { randomBytes } from 'node:crypto';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createSecretBoxRing } from '../domain/secret-box';
import { resealSigningKeys } from './signing-key-reseal';
import { findSigningKeyForVerification, openHmacSecret } from './signing-key-lookup';
import { createSigningKey, revokeSigningKey } from './signing-keys';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

const K1 = { id: 'k1', secret: randomBytes(32) };
const K2 = { id: 'k2', secret: randomBytes(32) };
const OLD = createSecretBoxRing([K1]);
const ROTATED = createSecretBoxRing([K2, K1]);
const ONLY_NEW = createSecretBoxRing([K2]);
const ED25519_JWK = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };

describeEachStore('re-sealing signing secrets', (store) => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await openKeysStore(store, 'signing_key_reseal');
  });

  /** An app with `count` HMAC keys sealed under `ring`; returns their ids and secrets. */
  async function hmacKeys(count: number, ring = OLD) {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const secrets = new Map<string, string>();
    for (let i = 0; i < count; i += 1) {
      const { signingKey, secret } = await createSigningKey(
        { ...deps, secretBox: ring },
        { partnerId: tenant.partner.id },
        app.id,
        { algorithm: 'hmac-sha256', name: `Back office ${i}` },
        tenant.as,
      );
      secrets.set(signingKey.id, secret!);
    }
    return Object.assign(secrets, { tenant, app });
  }

  async function openWith(ring: typeof OLD, id: string) {
    const row = await findSigningKeyForVerification(deps, id);
    return openHmacSecret(ring, row!);
  }

  test('every secret under an old key, revoked ones included, moves to the current key and opens to the same value', async () => {
    const secrets = await hmacKeys(3);
    const [revokedId] = [...secrets.keys()] as [string];
    const { tenant, app } = secrets;
    await revokeSigningKey(deps, { partnerId: tenant.partner.id }, app.id, revokedId, tenant.as);

    expect(await resealSigningKeys(deps, ROTATED)).toBe(3);

    const rows = await deps.db
      .selectFrom('signing_keys')
      .select(['id', 'secret_ciphertext', 'encryption_key_id'])
      .execute();
    expect(rows).toHaveLength(3);
    for (const stored of rows) {
      expect(stored.encryption_key_id).toBe('k2');
      expect(stored.secret_ciphertext).toMatch(/^v1:k2:/);
      expect(await openWith(ONLY_NEW, stored.id)).toEqual({ ok: true, plaintext: secrets.get(stored.id) });
    }
  });

  test('a second run rewrites nothing, and keys already under the current key or without a secret are left alone', async () => {
    await hmacKeys(1, ROTATED);
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    await createSigningKey(
      { ...deps, secretBox: ROTATED },
      { partnerId: tenant.partner.id },
      app.id,
      { algorithm: 'ed25519', name: 'Partner key', publicKeyJwk: ED25519_JWK },
      tenant.as,
    );
    const before = await deps.db.selectFrom('signing_keys').selectAll().orderBy('id').execute();
    expect(await resealSigningKeys(deps, ROTATED)).toBe(0);
    expect(await deps.db.selectFrom('signing_keys').selectAll().orderBy('id').execute()).toEqual(before);
  });

  test('two runs at the same time rewrite each row exactly once (the UPDATE is conditional on the old ciphertext)', async () => {
    const secrets = await hmacKeys(4);
    const counts = await Promise.all([resealSigningKeys(deps, ROTATED), resealSigningKeys(deps, ROTATED)]);
    expect(counts[0] + counts[1]).toBe(4);
    for (const [id, secret] of secrets) {
      expect(await openWith(ONLY_NEW, id)).toEqual({ ok: true, plaintext: secret });
    }
  });

  test('a secret whose key has left the ring stops the job with the id of its row', async () => {
    const secrets = await hmacKeys(1);
    const [id] = [...secrets.keys()];
    await expect(resealSigningKeys(deps, ONLY_NEW)).rejects.toThrow(
      `signing key ${id}: cannot be re-sealed (unknown_key)`,
    );
    // Nothing was changed: with the old key back in the ring the secret still opens.
    expect(await openWith(OLD, id!)).toEqual({ ok: true, plaintext: secrets.get(id!) });
  });

  test('a ciphertext copied from another key does not open for this one and is never re-sealed onto it', async () => {
    const secrets = await hmacKeys(2);
    const [first, second] = [...secrets.keys()] as [string, string];
    const copied = await deps.db
      .selectFrom('signing_keys')
      .select('secret_ciphertext')
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    await deps.db
      .updateTable('signing_keys')
      .set({ secret_ciphertext: copied.secret_ciphertext })
      .where('id', '=', second)
      .execute();
    await expect(resealSigningKeys(deps, ROTATED)).rejects.toThrow(
      `signing key ${second}: cannot be re-sealed (rejected)`,
    );
  });
});
