// Signing keys on both engines: HMAC secrets shown once and sealed to their key's id, Ed25519 public keys checked
// and unique per app, limits and states enforced, revocation audited, and the verifier's one-query lookup.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { parseSecret } from '../domain/key-format';
import { createSecretBoxRing } from '../domain/secret-box';
import { decideSigningKeyOutcome } from '../domain/signing-key-verdict';
import { listAuditEvents } from './audit-events';
import { changePartnerStatus } from './partners';
import { findSigningKeyForVerification, openHmacSecret } from './signing-key-lookup';
import {
  createSigningKey,
  getSigningKey,
  listSigningKeys,
  MAX_ACTIVE_SIGNING_KEYS_PER_APP,
  revokeSigningKey,
  touchSigningKeys,
  type SigningKeyDeps,
} from './signing-keys';
import { OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

const RFC_JWK = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const RFC_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';
const RFC_PEM =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n';

describeEachStore('signing keys', (store) => {
  let deps: SigningKeyDeps & { clock: TestDeps['clock'] };
  beforeAll(async () => {
    deps = {
      ...(await openKeysStore(store, 'signing_keys')),
      secretBox: createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]),
    };
  });

  async function tenantWithApp(environment: 'test' | 'live' = 'test') {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant, environment);
    return { ...tenant, app, scope: { partnerId: tenant.partner.id } };
  }

  test('an HMAC key returns its secret once; the row holds only a ciphertext that opens for that key alone', async () => {
    const t = await tenantWithApp();
    const { signingKey, secret } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'Back office' },
      t.as,
    );
    expect(secret).toMatch(/^pts_test_[0-9A-Za-z]{50}$/);
    expect(parseSecret('signing_secret', secret)).toEqual({ ok: true, environment: 'test' });
    expect(signingKey).toMatchObject({
      algorithm: 'hmac-sha256',
      status: 'active',
      secretLast4: secret!.slice(-4),
      publicKeyJwk: null,
      thumbprint: null,
    });
    const row = await deps.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('id', '=', signingKey.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret!);
    expect(row.encryption_key_id).toBe('k1');

    const found = await findSigningKeyForVerification(deps, signingKey.id);
    expect(openHmacSecret(deps.secretBox, found!)).toEqual({ ok: true, plaintext: secret });
    // The same ciphertext presented as another key's does not open.
    const other = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'Other' },
      t.as,
    );
    expect(
      openHmacSecret(deps.secretBox, { keyId: other.signingKey.id, secretCiphertext: row.secret_ciphertext }),
    ).toEqual({
      ok: false,
      reason: 'rejected',
    });
  });

  test('an Ed25519 key is registered from a JWK or PEM with its RFC 7638 thumbprint, once per app', async () => {
    const t = await tenantWithApp();
    const { signingKey, secret } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'ed25519', name: 'POS', publicKeyJwk: RFC_JWK },
      t.as,
    );
    expect(secret).toBeNull();
    expect(signingKey).toMatchObject({
      algorithm: 'ed25519',
      publicKeyJwk: RFC_JWK,
      thumbprint: RFC_THUMBPRINT,
      secretLast4: null,
    });
    await expect(
      createSigningKey(
        deps,
        t.scope,
        t.app.id,
        { algorithm: 'ed25519', name: 'POS again', publicKeyPem: RFC_PEM },
        t.as,
      ),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      options: { errors: [{ pointer: '/publicKeyPem', detail: 'already registered for this app' }] },
    });
    // Another app may register the same public key.
    const other = await testApp(deps, t);
    await expect(
      createSigningKey(
        deps,
        t.scope,
        other.id,
        { algorithm: 'ed25519', name: 'POS', publicKeyPem: RFC_PEM },
        t.as,
      ),
    ).resolves.toMatchObject({
      signingKey: { thumbprint: RFC_THUMBPRINT },
    });
    expect((await findSigningKeyForVerification(deps, signingKey.id))?.publicKeyJwk).toEqual(RFC_JWK);
  });

  test('a private key is a 400 and is not stored; an invalid public key is a 422', async () => {
    const t = await tenantWithApp();
    const { privateKey } = generateKeyPairSync('ed25519');
    await expect(
      createSigningKey(
        deps,
        t.scope,
        t.app.id,
        { algorithm: 'ed25519', name: 'k', publicKeyJwk: privateKey.export({ format: 'jwk' }) },
        t.as,
      ),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      options: { errors: [{ pointer: '/publicKeyJwk/d' }] },
    });
    await expect(
      createSigningKey(
        deps,
        t.scope,
        t.app.id,
        {
          algorithm: 'ed25519',
          name: 'k',
          publicKeyJwk: { ...RFC_JWK, x: Buffer.alloc(32).toString('base64url') },
        },
        t.as,
      ),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      options: { errors: [{ pointer: '/publicKeyJwk', detail: 'weak_key' }] },
    });
    await expect(
      createSigningKey(deps, t.scope, t.app.id, { algorithm: 'ed25519', name: 'k' }, t.as),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const rows = await deps.db
      .selectFrom('signing_keys')
      .select('id')
      .where('app_id', '=', t.app.id)
      .execute();
    expect(rows).toEqual([]);
  });

  test(`an app must be active and holds at most ${MAX_ACTIVE_SIGNING_KEYS_PER_APP} active keys; another partner's app is a 404`, async () => {
    const live = await tenantWithApp('live');
    await expect(
      createSigningKey(deps, live.scope, live.app.id, { algorithm: 'hmac-sha256', name: 'k' }, live.as),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const t = await tenantWithApp();
    const created = [];
    for (let i = 0; i < MAX_ACTIVE_SIGNING_KEYS_PER_APP; i++) {
      created.push(
        await createSigningKey(deps, t.scope, t.app.id, { algorithm: 'hmac-sha256', name: `k${i}` }, t.as),
      );
    }
    await expect(
      createSigningKey(deps, t.scope, t.app.id, { algorithm: 'hmac-sha256', name: 'one more' }, t.as),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await revokeSigningKey(deps, t.scope, t.app.id, created[0]!.signingKey.id, t.as);
    await expect(
      createSigningKey(deps, t.scope, t.app.id, { algorithm: 'hmac-sha256', name: 'one more' }, t.as),
    ).resolves.toBeDefined();
    await expect(
      createSigningKey(deps, live.scope, t.app.id, { algorithm: 'hmac-sha256', name: 'k' }, live.as),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(getSigningKey(deps, live.scope, t.app.id, created[1]!.signingKey.id)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  test('revoking changes an active key once, is audited, and the verifier sees it at its next lookup', async () => {
    const t = await tenantWithApp();
    const { signingKey } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'k' },
      t.as,
    );
    expect(decideSigningKeyOutcome(await findSigningKeyForVerification(deps, signingKey.id))).toMatchObject({
      outcome: 'valid',
    });
    const first = await revokeSigningKey(deps, t.scope, t.app.id, signingKey.id, t.as);
    expect(first).toMatchObject({
      changed: true,
      signingKey: { status: 'revoked', revokedAt: deps.clock.now().toISOString() },
    });
    expect(await revokeSigningKey(deps, t.scope, t.app.id, signingKey.id, t.as)).toMatchObject({
      changed: false,
    });
    expect(decideSigningKeyOutcome(await findSigningKeyForVerification(deps, signingKey.id))).toEqual({
      outcome: 'revoked',
    });
    const actions = (
      await listAuditEvents(deps, t.scope, { targetId: signingKey.id }, pageRequest({}, 'aud'))
    ).data.map((e) => e.action);
    expect(actions).toEqual(['signing_key.revoked', 'signing_key.created']);
    const stranger = await tenantWithApp();
    await expect(
      revokeSigningKey(deps, stranger.scope, t.app.id, signingKey.id, stranger.as),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  test('listing is newest first with a status filter', async () => {
    const t = await tenantWithApp();
    const a = await createSigningKey(deps, t.scope, t.app.id, { algorithm: 'hmac-sha256', name: 'a' }, t.as);
    const b = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'ed25519', name: 'b', publicKeyJwk: RFC_JWK },
      t.as,
    );
    await revokeSigningKey(deps, t.scope, t.app.id, a.signingKey.id, t.as);
    const all = await listSigningKeys(deps, t.scope, t.app.id, {}, pageRequest({}, 'sig'));
    expect(all.data.map((k) => k.id)).toEqual([b.signingKey.id, a.signingKey.id]);
    const revoked = await listSigningKeys(
      deps,
      t.scope,
      t.app.id,
      { status: 'revoked' },
      pageRequest({}, 'sig'),
    );
    expect(revoked.data.map((k) => k.id)).toEqual([a.signingKey.id]);
    const stranger = await tenantWithApp();
    await expect(
      listSigningKeys(deps, stranger.scope, t.app.id, {}, pageRequest({}, 'sig')),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  test("the verifier's lookup gives the app's effective scopes, plan and state; a foreign keyid costs no query", async () => {
    const t = await tenantWithApp();
    const { signingKey } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'k' },
      t.as,
    );
    const decision = decideSigningKeyOutcome(await findSigningKeyForVerification(deps, signingKey.id));
    expect(decision).toEqual({
      outcome: 'valid',
      key: expect.objectContaining({
        keyId: signingKey.id,
        appId: t.app.id,
        partnerId: t.partner.id,
        environment: 'test',
        planId: t.partner.planId,
      }),
    });
    await changePartnerStatus(deps, t.partner.id, { action: 'suspend', reason: 'unpaid' }, OPERATOR);
    expect(decideSigningKeyOutcome(await findSigningKeyForVerification(deps, signingKey.id))).toEqual({
      outcome: 'partner_suspended',
    });
    const noStore = { db: undefined as never };
    expect(await findSigningKeyForVerification(noStore, 'not-a-key')).toBeUndefined();
    expect(await findSigningKeyForVerification(noStore, t.app.id)).toBeUndefined();
    expect(decideSigningKeyOutcome(await findSigningKeyForVerification(deps, deps.newId('sig')))).toEqual({
      outcome: 'not_found',
    });
  });

  test('last-used times are written in batches and never move backwards', async () => {
    const t = await tenantWithApp();
    const { signingKey } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'k' },
      t.as,
    );
    const later = new Date(deps.clock.now().getTime() + 1000).toISOString();
    expect(await touchSigningKeys(deps, [signingKey.id, signingKey.id], later)).toBe(1);
    expect(await touchSigningKeys(deps, [signingKey.id], deps.clock.now().toISOString())).toBe(0);
    expect((await getSigningKey(deps, t.scope, t.app.id, signingKey.id)).lastUsedAt).toBe(later);
  });
});
