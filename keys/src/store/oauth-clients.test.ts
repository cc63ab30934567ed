// OAuth clients per app and tenant: created within the app's scopes and limits, secrets rotated with an overlap of
// at most one previous secret, deleted; every change audited in its own transaction, another partner's clients
// answered as missing, and the one-query record the token endpoint decides on.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listAuditEvents } from './audit-events';
import {
  createOAuthClient,
  deleteOAuthClient,
  findOAuthClientRecord,
  getOAuthClient,
  listOAuthClients,
  MAX_OAUTH_CLIENTS_PER_APP,
  rotateOAuthClientSecret,
  touchOAuthClients,
  type StoredClientSecret,
} from './oauth-clients';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

/** A stand-in for the domain's secret digest (oauth-client-secrets.ts makes the real one). */
function fakeClientSecret(environment: 'test' | 'live' = 'test'): StoredClientSecret {
  const digest = randomBytes(32).toString('base64url');
  return { digest, pepperId: 'p1', environment, last4: digest.slice(-4) };
}

describeEachStore('OAuth clients', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'oauth_clients');
  });

  async function tenantWithApp() {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    return { ...tenant, app, scope: { partnerId: tenant.partner.id } };
  }

  const auditOf = async (partnerId: string, targetId: string) =>
    (await listAuditEvents(deps, { partnerId }, { targetId }, pageRequest({ limit: 100 }, 'aud'))).data;

  test("a client takes the app's scopes and a 1 h token lifetime by default; its creation is audited", async () => {
    const t = await tenantWithApp();
    const secret = fakeClientSecret();
    const client = await createOAuthClient(deps, t.scope, t.app.id, { name: 'Order sync', secret }, t.as);
    expect(client).toEqual({
      id: expect.stringMatching(/^oac_/),
      appId: t.app.id,
      name: 'Order sync',
      environment: 'test',
      scopes: t.app.scopes,
      accessTokenTtlSeconds: 3600,
      secretLast4: secret.last4,
      secretRotatedAt: null,
      previousSecretExpiresAt: null,
      lastUsedAt: null,
      createdAt: '2026-11-24T09:30:00.000Z',
    });
    expect(JSON.stringify(client)).not.toContain(secret.digest);
    const [event] = await auditOf(t.partner.id, client.id);
    expect(event).toMatchObject({
      action: 'oauth_client.created',
      actor: { memberId: t.owner.id },
      appId: t.app.id,
      details: { name: 'Order sync', scopes: t.app.scopes, accessTokenTtlSeconds: 3600 },
    });
    expect(JSON.stringify(event)).not.toContain(secret.digest);
  });

  test('scopes outside the app, and lifetimes outside 60 s – 1 h, are 422 and write nothing', async () => {
    const t = await tenantWithApp();
    await expect(
      createOAuthClient(
        deps,
        t.scope,
        t.app.id,
        { name: 'x', secret: fakeClientSecret(), scopes: ['orders:write'] },
        t.as,
      ),
    ).rejects.toMatchObject({ status: 422, options: { errors: [{ pointer: '/scopes' }] } });
    for (const accessTokenTtlSeconds of [59, 3601, 1.5]) {
      await expect(
        createOAuthClient(
          deps,
          t.scope,
          t.app.id,
          { name: 'x', secret: fakeClientSecret(), accessTokenTtlSeconds },
          t.as,
        ),
      ).rejects.toMatchObject({ status: 422 });
    }
    const subset = await createOAuthClient(
      deps,
      t.scope,
      t.app.id,
      { name: 'reader', secret: fakeClientSecret(), scopes: ['crm:read'], accessTokenTtlSeconds: 600 },
      t.as,
    );
    expect(subset).toMatchObject({ scopes: ['crm:read'], accessTokenTtlSeconds: 600 });
    expect((await listOAuthClients(deps, t.scope, t.app.id, pageRequest({}, 'oac'))).data).toHaveLength(1);
  });

  test('an app holds at most 5 clients; deleting one frees its place', async () => {
    const t = await tenantWithApp();
    const made = [];
    for (let i = 0; i < MAX_OAUTH_CLIENTS_PER_APP; i++) {
      made.push(
        await createOAuthClient(deps, t.scope, t.app.id, { name: `c${i}`, secret: fakeClientSecret() }, t.as),
      );
    }
    await expect(
      createOAuthClient(deps, t.scope, t.app.id, { name: 'sixth', secret: fakeClientSecret() }, t.as),
    ).rejects.toMatchObject({ status: 409 });
    await deleteOAuthClient(deps, t.scope, t.app.id, made[0]!.id, t.as);
    await createOAuthClient(deps, t.scope, t.app.id, { name: 'sixth', secret: fakeClientSecret() }, t.as);
  });

  test('a live app awaiting approval cannot hold clients (409)', async () => {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant, 'live');
    await expect(
      createOAuthClient(
        deps,
        { partnerId: tenant.partner.id },
        app.id,
        { name: 'c', secret: fakeClientSecret('live') },
        tenant.as,
      ),
    ).rejects.toMatchObject({ status: 409 });
  });

  test('a secret made for the other environment is refused as a programming error', async () => {
    const t = await tenantWithApp();
    await expect(
      createOAuthClient(deps, t.scope, t.app.id, { name: 'c', secret: fakeClientSecret('live') }, t.as),
    ).rejects.toThrow(/live client secret for a test app/);
  });

  test("another partner's app and client are not found, for reads and writes alike", async () => {
    const a = await tenantWithApp();
    const b = await tenantWithApp();
    const client = await createOAuthClient(
      deps,
      a.scope,
      a.app.id,
      { name: 'a', secret: fakeClientSecret() },
      a.as,
    );
    await expect(
      createOAuthClient(deps, b.scope, a.app.id, { name: 'b', secret: fakeClientSecret() }, b.as),
    ).rejects.toMatchObject({ status: 404 });
    await expect(getOAuthClient(deps, b.scope, a.app.id, client.id)).rejects.toMatchObject({ status: 404 });
    await expect(getOAuthClient(deps, b.scope, b.app.id, client.id)).rejects.toMatchObject({ status: 404 });
    await expect(listOAuthClients(deps, b.scope, a.app.id, pageRequest({}, 'oac'))).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      rotateOAuthClientSecret(
        deps,
        b.scope,
        b.app.id,
        client.id,
        { secret: fakeClientSecret(), overlapSeconds: 0 },
        b.as,
      ),
    ).rejects.toMatchObject({ status: 404 });
    await expect(deleteOAuthClient(deps, b.scope, a.app.id, client.id, b.as)).rejects.toMatchObject({
      status: 404,
    });
    await expect(deleteOAuthClient(deps, b.scope, b.app.id, client.id, b.as)).rejects.toMatchObject({
      status: 404,
    });
    expect(await getOAuthClient(deps, a.scope, a.app.id, client.id)).toEqual(client);
    expect(await auditOf(b.partner.id, client.id)).toEqual([]);
  });

  test('rotation keeps the previous secret until the overlap ends, and at most one previous secret', async () => {
    const t = await tenantWithApp();
    const first = fakeClientSecret();
    const client = await createOAuthClient(deps, t.scope, t.app.id, { name: 'c', secret: first }, t.as);
    deps.clock.advance(1000);
    const second = fakeClientSecret();
    const rotated = await rotateOAuthClientSecret(
      deps,
      t.scope,
      t.app.id,
      client.id,
      { secret: second, overlapSeconds: 3600 },
      t.as,
    );
    expect(rotated.invalidation).toEqual({ type: 'credential', credentialId: client.id });
    expect(rotated.oauthClient).toMatchObject({
      secretLast4: second.last4,
      secretRotatedAt: '2026-11-24T09:30:01.000Z',
      previousSecretExpiresAt: '2026-11-24T10:30:01.000Z',
    });
    let record = await findOAuthClientRecord(deps, client.id);
    expect(record).toMatchObject({
      secret: { digest: second.digest },
      previousSecret: { digest: first.digest, expiresAt: '2026-11-24T10:30:01.000Z' },
    });
    // A second rotation inside the overlap replaces the previous secret: `first` is gone.
    const third = fakeClientSecret();
    await rotateOAuthClientSecret(
      deps,
      t.scope,
      t.app.id,
      client.id,
      { secret: third, overlapSeconds: 60 },
      t.as,
    );
    record = await findOAuthClientRecord(deps, client.id);
    expect(record).toMatchObject({
      secret: { digest: third.digest },
      previousSecret: { digest: second.digest },
    });
    // With no overlap, nothing but the new secret remains.
    const fourth = fakeClientSecret();
    const ended = await rotateOAuthClientSecret(
      deps,
      t.scope,
      t.app.id,
      client.id,
      { secret: fourth, overlapSeconds: 0 },
      t.as,
    );
    expect(ended.oauthClient.previousSecretExpiresAt).toBeNull();
    expect((await findOAuthClientRecord(deps, client.id))?.previousSecret).toBeNull();
    const actions = (await auditOf(t.partner.id, client.id)).map((e) => e.action);
    expect(actions).toEqual([
      'oauth_client.secret_rotated',
      'oauth_client.secret_rotated',
      'oauth_client.secret_rotated',
      'oauth_client.created',
    ]);
    await expect(
      rotateOAuthClientSecret(
        deps,
        t.scope,
        t.app.id,
        client.id,
        { secret: fakeClientSecret(), overlapSeconds: 604801 },
        t.as,
      ),
    ).rejects.toMatchObject({ status: 422 });
  });

  test('the previous secret is shown as expired once its overlap has passed', async () => {
    const t = await tenantWithApp();
    const client = await createOAuthClient(
      deps,
      t.scope,
      t.app.id,
      { name: 'c', secret: fakeClientSecret() },
      t.as,
    );
    await rotateOAuthClientSecret(
      deps,
      t.scope,
      t.app.id,
      client.id,
      { secret: fakeClientSecret(), overlapSeconds: 60 },
      t.as,
    );
    deps.clock.advance(60_000);
    expect((await getOAuthClient(deps, t.scope, t.app.id, client.id)).previousSecretExpiresAt).toBeNull();
  });

  test('deleting a client removes it, audits it, and returns its invalidation', async () => {
    const t = await tenantWithApp();
    const client = await createOAuthClient(
      deps,
      t.scope,
      t.app.id,
      { name: 'gone', secret: fakeClientSecret() },
      t.as,
    );
    const result = await deleteOAuthClient(deps, t.scope, t.app.id, client.id, t.as);
    expect(result.invalidation).toEqual({ type: 'credential', credentialId: client.id });
    expect(await findOAuthClientRecord(deps, client.id)).toBeUndefined();
    await expect(getOAuthClient(deps, t.scope, t.app.id, client.id)).rejects.toMatchObject({ status: 404 });
    await expect(deleteOAuthClient(deps, t.scope, t.app.id, client.id, t.as)).rejects.toMatchObject({
      status: 404,
    });
    const [event] = await auditOf(t.partner.id, client.id);
    expect(event).toMatchObject({ action: 'oauth_client.deleted', details: { name: 'gone' } });
  });

  test('lists an app’s clients newest first, a page at a time', async () => {
    const t = await tenantWithApp();
    for (const name of ['one', 'two', 'three']) {
      await createOAuthClient(deps, t.scope, t.app.id, { name, secret: fakeClientSecret() }, t.as);
      deps.clock.advance(1000);
    }
    const first = await listOAuthClients(deps, t.scope, t.app.id, pageRequest({ limit: 2 }, 'oac'));
    expect(first.data.map((c) => c.name)).toEqual(['three', 'two']);
    expect(first.hasMore).toBe(true);
    const second = await listOAuthClients(
      deps,
      t.scope,
      t.app.id,
      pageRequest({ limit: 2, cursor: first.nextCursor }, 'oac'),
    );
    expect(second.data.map((c) => c.name)).toEqual(['one']);
    expect(second.hasMore).toBe(false);
  });

  test('the token endpoint’s record has the client, its app, partner and plan, in one query', async () => {
    const t = await tenantWithApp();
    const secret = fakeClientSecret();
    const client = await createOAuthClient(
      deps,
      t.scope,
      t.app.id,
      { name: 'c', secret, scopes: ['crm:read'] },
      t.as,
    );
    expect(await findOAuthClientRecord(deps, client.id)).toEqual({
      clientId: client.id,
      partnerId: t.partner.id,
      appId: t.app.id,
      environment: 'test',
      scopes: ['crm:read'],
      accessTokenTtlSeconds: 3600,
      secret: { digest: secret.digest, pepperId: 'p1' },
      previousSecret: null,
      app: { status: 'active', deleted: false, scopes: t.app.scopes },
      partner: { status: 'active' },
      plan: { id: t.partner.planId, scopes: expect.arrayContaining(['crm:read']) },
    });
    expect(await findOAuthClientRecord(deps, 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1')).toBeUndefined();
  });

  test('last-used times are recorded in batches and never move backwards', async () => {
    const t = await tenantWithApp();
    const client = await createOAuthClient(
      deps,
      t.scope,
      t.app.id,
      { name: 'c', secret: fakeClientSecret() },
      t.as,
    );
    expect(await touchOAuthClients(deps, [client.id, client.id], '2026-11-24T10:00:00.000Z')).toBe(1);
    expect(await touchOAuthClients(deps, [client.id], '2026-11-24T09:59:00.000Z')).toBe(0);
    expect((await getOAuthClient(deps, t.scope, t.app.id, client.id)).lastUsedAt).toBe(
      '2026-11-24T10:00:00.000Z',
    );
  });
});
