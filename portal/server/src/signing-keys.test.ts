// Request-signing keys through the management API: an HMAC secret shown once and kept only sealed, Ed25519 public
// keys registered as JWK or PEM (never a private key, never an invalid or repeated one), revocation that reaches
// the gateways' caches, and the role rules (developers not on live apps), on every engine.
import { generateKeyPairSync } from 'node:crypto';
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { jwkThumbprint } from '../../../keys/src/domain/ed25519-key';
import { openSecret } from '../../../keys/src/domain/secret-box';
import { deleteApp } from '../../../keys/src/store/apps';
import { signingKeyContext } from '../../../keys/src/store/signing-keys';
import { appOf, pendingLiveAppOf } from './testing/apps';
import { auditRows, contextOf } from './testing/audit';
import { teamOf, type Team } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

/** A fresh Ed25519 key pair's public half, as a JWK (x only) and as PEM, plus the private JWK. */
function ed25519Key() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string };
  const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const privateJwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
  return { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, pem, privateJwk };
}

describeEachStore('portal signing keys', (store) => {
  let portal: TestPortal;
  let team: Team;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
  });
  afterAll(() => portal.close());

  const create = (session: MemberSession, appId: string, body: Record<string, unknown>) =>
    session.client.call('createSigningKey', { params: { appId }, body });
  const hmac = (name = 'Back-office server') => ({ algorithm: 'hmac-sha256', name });
  const revoke = (session: MemberSession, appId: string, signingKeyId: string) =>
    session.client.call('revokeSigningKey', { params: { appId, signingKeyId } });

  test('HMAC lifecycle: the secret is shown once and stored only sealed; revoke is immediate and reaches the caches', async () => {
    const app = await appOf(portal, team.owner);
    const created = await create(team.developer, app.id, hmac());
    expect(created.status).toBe(201);
    const key = created.body.signingKey;
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^pts_test_[0-9A-Za-z]{30,100}$/);
    expect(key).toMatchObject({
      appId: app.id,
      name: 'Back-office server',
      environment: 'test',
      algorithm: 'hmac-sha256',
      status: 'active',
      publicKeyJwk: null,
      thumbprint: null,
      secretLast4: secret.slice(-4),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.headers.get('location')).toBe(`/api/v1/apps/${app.id}/signing-keys/${key.id}`);

    // The verifier needs the secret back, so it is sealed (bound to the key's id), never stored in clear.
    const row = await portal.deps.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret.slice(9));
    expect(openSecret(portal.deps.secretBox, row.secret_ciphertext!, signingKeyContext(key.id))).toEqual({
      ok: true,
      plaintext: secret,
    });

    const read = await team.viewer.client.call('getSigningKey', {
      params: { appId: app.id, signingKeyId: key.id },
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(key);
    const list = await team.viewer.client.call('listSigningKeys', { params: { appId: app.id } });
    expect(list.body).toEqual({ data: [key], hasMore: false, nextCursor: null });
    for (const text of [read.text, list.text]) expect(text).not.toContain(secret);

    const published = portal.invalidations.length;
    portal.clock.advance(1000);
    const revoked = await revoke(team.developer, app.id, key.id);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ ...key, status: 'revoked', revokedAt: portal.clock.now().toISOString() });
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'credential', credentialId: key.id }]);

    const again = await revoke(team.owner, app.id, key.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invalid_transition', currentStatus: 'revoked' });
    expect(portal.invalidations).toHaveLength(published + 1);

    // A revoked key stays listed, and the status filter finds it.
    const active = await team.owner.client.call('listSigningKeys', {
      params: { appId: app.id },
      query: { status: 'active' },
    });
    expect(active.body.data).toEqual([]);
    const listed = await team.owner.client.call('listSigningKeys', {
      params: { appId: app.id },
      query: { status: 'revoked' },
    });
    expect(listed.body.data).toEqual([revoked.body]);

    const events = await auditRows(portal, key.id);
    expect(events.map((e) => [e.action, e.actor_member_id])).toEqual([
      ['signing_key.created', team.developer.member.id],
      ['signing_key.revoked', team.developer.member.id],
    ]);
    expect(events[0]).toMatchObject({ app_id: app.id, environment: 'test', target_type: 'signing_key' });
    expect(JSON.stringify(events)).not.toContain(secret.slice(9));
  });

  test('Ed25519: a public JWK or PEM is registered, normalised, with its RFC 7638 thumbprint and no secret', async () => {
    const app = await appOf(portal, team.owner);
    const first = ed25519Key();
    const byJwk = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'POS terminal fleet',
      // The partner's own kid, alg and use are accepted and dropped: the keyid is the signing key's id.
      publicKeyJwk: { ...first.jwk, kid: 'pos-2026', alg: 'EdDSA', use: 'sig' },
    });
    expect(byJwk.status).toBe(201);
    expect(byJwk.body.secret).toBeNull();
    expect(byJwk.body.signingKey).toMatchObject({
      algorithm: 'ed25519',
      status: 'active',
      publicKeyJwk: first.jwk,
      thumbprint: jwkThumbprint(first.jwk),
      secretLast4: null,
    });

    const second = ed25519Key();
    const byPem = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Kiosk',
      publicKeyPem: second.pem,
    });
    expect(byPem.status).toBe(201);
    expect(byPem.body.signingKey.publicKeyJwk).toEqual(second.jwk);

    // The same key again, in the other form, is already registered for the app: 422 naming the member.
    const repeated = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Again',
      publicKeyPem: first.pem,
    });
    expect(repeated.status).toBe(422);
    expect(repeated.body.errors).toEqual([expect.objectContaining({ pointer: '/publicKeyPem' })]);
    // …even once revoked: a retired key does not come back.
    await revoke(team.owner, app.id, byJwk.body.signingKey.id);
    const revived = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Back',
      publicKeyJwk: first.jwk,
    });
    expect(revived.status).toBe(422);
    expect(revived.body.errors).toEqual([expect.objectContaining({ pointer: '/publicKeyJwk' })]);
  });

  test('a private key is a 400; a key that is not a valid Ed25519 public key is a 422 with a pointer', async () => {
    const app = await appOf(portal, team.owner);
    const key = ed25519Key();
    const before = await portal.deps.db
      .selectFrom('signing_keys')
      .select('id')
      .where('app_id', '=', app.id)
      .execute();

    const withD = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Oops',
      publicKeyJwk: key.privateJwk,
    });
    expect(withD.status).toBe(400);
    expect(withD.text).not.toContain(key.privateJwk.d);
    expect(withD.body.errors.map((e: { pointer: string }) => e.pointer).join(' ')).toContain('/publicKeyJwk');
    const privatePem = generateKeyPairSync('ed25519').privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    const pemPrivate = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Oops',
      publicKeyPem: privatePem,
    });
    expect(pemPrivate.status).toBe(400);
    const both = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Both',
      publicKeyJwk: key.jwk,
      publicKeyPem: key.pem,
    });
    expect(both.status).toBe(400);
    const neither = await create(team.owner, app.id, { algorithm: 'ed25519', name: 'Neither' });
    expect(neither.status).toBe(400);

    // The identity point (small order: anyone can "sign" with it) and an X25519 key, as JWK and as PEM.
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const weak = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'Weak',
      publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.errors).toEqual([expect.objectContaining({ pointer: '/publicKeyJwk' })]);
    const x25519 = generateKeyPairSync('x25519').publicKey.export({
      format: 'pem',
      type: 'spki',
    });
    const wrongCurve = await create(team.owner, app.id, {
      algorithm: 'ed25519',
      name: 'X',
      publicKeyPem: x25519,
    });
    expect(wrongCurve.status).toBe(422);
    expect(wrongCurve.body.errors).toEqual([expect.objectContaining({ pointer: '/publicKeyPem' })]);

    const after = await portal.deps.db
      .selectFrom('signing_keys')
      .select('id')
      .where('app_id', '=', app.id)
      .execute();
    expect(after).toEqual(before);
  });

  test('an app holds at most 10 active signing keys (revoked ones do not count), and only an active app any (409)', async () => {
    const app = await appOf(portal, team.owner);
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const created = await create(team.owner, app.id, hmac(`k${i}`));
      expect(created.status).toBe(201);
      ids.push(created.body.signingKey.id);
    }
    const eleventh = await create(team.owner, app.id, hmac('k10'));
    expect(eleventh.status).toBe(409);
    expect((await revoke(team.owner, app.id, ids[0]!)).status).toBe(200);
    expect((await create(team.owner, app.id, hmac('k10'))).status).toBe(201);

    const pending = await pendingLiveAppOf(portal, team.owner);
    const refused = await create(team.owner, pending.id, hmac());
    expect(refused.status).toBe(409);
    expect(refused.body.currentStatus).toBe('pending_approval');
  });

  test("a missing, deleted or another partner's app or key is a 404, never a 403", async () => {
    const app = await appOf(portal, team.owner);
    const other = await appOf(portal, team.owner);
    const key = (await create(team.owner, app.id, hmac())).body.signingKey;
    const stranger = await portal.signUp();
    const params = { appId: app.id, signingKeyId: key.id };
    const unknown = 'sig_01JDQ7X3S4T1V9KX2M5Q8W0SG1';
    for (const call of [
      stranger.client.call('listSigningKeys', { params: { appId: app.id } }),
      stranger.client.call('getSigningKey', { params }),
      stranger.client.call('createSigningKey', { params: { appId: app.id }, body: hmac() }),
      stranger.client.call('revokeSigningKey', { params }),
      team.owner.client.call('getSigningKey', { params: { appId: other.id, signingKeyId: key.id } }),
      team.owner.client.call('revokeSigningKey', { params: { appId: other.id, signingKeyId: key.id } }),
      team.owner.client.call('getSigningKey', { params: { appId: app.id, signingKeyId: unknown } }),
      team.owner.client.call('revokeSigningKey', { params: { appId: app.id, signingKeyId: unknown } }),
      team.owner.client.call('listSigningKeys', { params: { appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0AP1' } }),
    ]) {
      const response = await call;
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 404,
        code: 'not_found',
      });
    }
    expect((await team.owner.client.call('getSigningKey', { params })).body.status).toBe('active');

    await deleteApp(portal.deps, { partnerId: team.owner.partner.id }, app.id, contextOf(team.owner));
    expect((await team.owner.client.call('getSigningKey', { params })).status).toBe(404);
    expect((await revoke(team.owner, app.id, key.id)).status).toBe(404);
  });

  test('a viewer reads but changes nothing; a developer changes test keys but not live ones; an admin may', async () => {
    const testApp = await appOf(portal, team.owner);
    const liveApp = await appOf(portal, team.owner, 'live');
    const liveKey = (await create(team.owner, liveApp.id, hmac())).body;
    expect(liveKey.secret).toMatch(/^pts_live_/);
    const testKey = (await create(team.developer, testApp.id, hmac())).body.signingKey;
    const before = await auditRows(portal, liveKey.signingKey.id);

    for (const response of [
      await create(team.viewer, testApp.id, hmac()),
      await revoke(team.viewer, testApp.id, testKey.id),
      await create(team.developer, liveApp.id, hmac()),
      await revoke(team.developer, liveApp.id, liveKey.signingKey.id),
    ]) {
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
    }
    expect(
      (
        await team.developer.client.call('getSigningKey', {
          params: { appId: liveApp.id, signingKeyId: liveKey.signingKey.id },
        })
      ).body.status,
    ).toBe('active');
    expect(await auditRows(portal, liveKey.signingKey.id)).toEqual(before);

    expect((await create(team.admin, liveApp.id, hmac('Admin key'))).status).toBe(201);
    expect((await revoke(team.admin, liveApp.id, liveKey.signingKey.id)).status).toBe(200);
  });

  test('createSigningKey refuses bad input and fields only Portico sets (400), writing nothing', async () => {
    const app = await appOf(portal, team.owner);
    const count = async () =>
      (await portal.deps.db.selectFrom('signing_keys').select('id').where('app_id', '=', app.id).execute())
        .length;
    await expectBadInputRejected(team.owner.client, {
      operationId: 'createSigningKey',
      params: { appId: app.id },
      validBody: hmac(),
      wrongType: { pointer: '/name', value: 42 },
      missing: '/name',
      count,
    });
    for (const field of [
      { status: 'revoked' },
      { id: 'sig_01JDQ7X3S4T1V9KX2M5Q8W0SG1' },
      { secret: 'pts_test_chosenbythecaller0000000000000000' },
      { environment: 'live' },
      { thumbprint: 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k' },
    ]) {
      const response = await create(team.owner, app.id, { ...hmac(), ...field });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    const unknownAlgorithm = await create(team.owner, app.id, { algorithm: 'rsa-pss-sha512', name: 'RSA' });
    expect(unknownAlgorithm.status).toBe(400);
    expect(await count()).toBe(0);
  });
});
