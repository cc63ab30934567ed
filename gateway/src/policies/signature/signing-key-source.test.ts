// The key source over the keys store, on both engines: HMAC and Ed25519 keys created the way the portal creates
// them verify signed requests end to end; revoked, suspended, unknown and unopenable keys are all "no key".
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { manualClock } from '../../../../internal/src/clock';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { createSecretBoxRing } from '../../../../keys/src/domain/secret-box';
import { changePartnerStatus } from '../../../../keys/src/store/partners';
import {
  createSigningKey,
  revokeSigningKey,
  type SigningKeyDeps,
} from '../../../../keys/src/store/signing-keys';
import { OPERATOR, openKeysStore, signUp, testApp } from '../../../../keys/src/store/test-fixtures';
import { memoryNonceStore } from './nonce-store';
import { createSigningKeySource } from './signing-key-source';
import { signedRequest } from './testing/signed-requests';
import { createSignatureVerifier } from './verify-signature';

describeEachStore('createSigningKeySource', (store) => {
  let deps: SigningKeyDeps;
  beforeAll(async () => {
    deps = {
      ...(await openKeysStore(store, 'signature_key_source')),
      secretBox: createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]),
    };
  });

  async function tenant() {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    return { ...t, app, scope: { partnerId: t.partner.id } };
  }

  function verifierFor(source = createSigningKeySource({ db: deps.db, secretBox: deps.secretBox })) {
    const clock = manualClock('2026-02-01T08:00:00.000Z');
    const created = Math.floor(clock.now().getTime() / 1000);
    const verify = createSignatureVerifier({
      resolveKey: source,
      nonces: memoryNonceStore({ clock }),
      clock,
    });
    return { verify, created, source };
  }

  test('an HMAC key verifies with its secret as shown once (UTF-8), and speaks for its app', async () => {
    const t = await tenant();
    const { signingKey, secret } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'Back office' },
      t.as,
    );
    const { verify, created } = verifierFor();
    const request = signedRequest({
      key: { keyId: signingKey.id, algorithm: 'hmac-sha256', secret: Buffer.from(secret!, 'utf8') },
      method: 'POST',
      body: '{"name":"Jade"}',
      created,
    });
    expect(await verify(request)).toEqual({
      outcome: 'valid',
      key: {
        keyId: signingKey.id,
        algorithm: 'hmac-sha256',
        partnerId: t.partner.id,
        appId: t.app.id,
        environment: 'test',
        scopes: expect.any(Array),
        planId: expect.any(String),
      },
    });
  });

  test('an Ed25519 key verifies with the registered public key; the private half never reaches Portico', async () => {
    const t = await tenant();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { signingKey } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'ed25519', name: 'POS', publicKeyJwk: publicKey.export({ format: 'jwk' }) },
      t.as,
    );
    const { verify, created, source } = verifierFor();
    const request = signedRequest({
      key: { keyId: signingKey.id, algorithm: 'ed25519', privateKey },
      method: 'GET',
      url: 'https://api.portico.example/crm/v1/customers?limit=5',
      created,
    });
    expect(await verify(request)).toMatchObject({
      outcome: 'valid',
      key: { keyId: signingKey.id, appId: t.app.id },
    });
    const found = await source(signingKey.id);
    expect(found?.publicKey?.equals(publicKey)).toBe(true);
    expect(found?.secret).toBeUndefined();
  });

  test('revoked keys, keys of suspended partners and unknown ids are no key', async () => {
    const t = await tenant();
    const { signingKey: revoked } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'old' },
      t.as,
    );
    await revokeSigningKey(deps, t.scope, t.app.id, revoked.id, t.as);
    const { source } = verifierFor();
    expect(await source(revoked.id)).toBeUndefined();
    expect(await source('sig_01JD8Z6Q4V0E3M9K2T5R7W1X8Y')).toBeUndefined();
    expect(await source('not-an-id')).toBeUndefined();

    const s = await tenant();
    const { signingKey: live } = await createSigningKey(
      deps,
      s.scope,
      s.app.id,
      { algorithm: 'hmac-sha256', name: 'k' },
      s.as,
    );
    expect(await source(live.id)).toMatchObject({ keyId: live.id });
    await changePartnerStatus(deps, s.partner.id, { action: 'suspend', reason: 'unpaid' }, OPERATOR);
    expect(await source(live.id)).toBeUndefined();
  });

  test('a secret that no configured key opens is reported to the operator and refused', async () => {
    const t = await tenant();
    const { signingKey } = await createSigningKey(
      deps,
      t.scope,
      t.app.id,
      { algorithm: 'hmac-sha256', name: 'k' },
      t.as,
    );
    const reports: string[] = [];
    const source = createSigningKeySource({
      db: deps.db,
      secretBox: createSecretBoxRing([{ id: 'k2', secret: randomBytes(32) }]),
      onUnusableMaterial: (keyId, reason) => reports.push(`${keyId}:${reason}`),
    });
    expect(await source(signingKey.id)).toBeUndefined();
    expect(reports).toEqual([`${signingKey.id}:unknown_key`]);
  });
});
