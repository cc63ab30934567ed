// API keys per app and tenant: created within the app's scopes, listed, revoked and rolled with guarded writes,
// each change audited in its own transaction, and last-used times recorded in batches.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import {
  createApiKey,
  getApiKey,
  listApiKeys,
  MAX_ACTIVE_KEYS_PER_APP,
  revokeApiKey,
  rollApiKey,
  touchApiKeys,
} from './api-keys';
import { listAuditEvents } from './audit-events';
import { fakeSecret, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

describeEachStore('API keys', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'api_keys');
  });

  async function tenantWithApp() {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    return { ...tenant, app, scope: { partnerId: tenant.partner.id } };
  }

  const auditActions = async (partnerId: string) =>
    (await listAuditEvents(deps, { partnerId }, {}, pageRequest({ limit: 100 }, 'aud'))).data.map(
      (e) => e.action,
    );

  test("a key takes the app's scopes by default, or a subset; anything else is a 422", async () => {
    const t = await tenantWithApp();
    const all = await createApiKey(deps, t.scope, t.app.id, { name: 'all', secret: fakeSecret() }, t.as);
    expect(all).toMatchObject({
      scopes: t.app.scopes,
      status: 'active',
      environment: 'test',
      appId: t.app.id,
    });
    const some = await createApiKey(
      deps,
      t.scope,
      t.app.id,
      { name: 'read', secret: fakeSecret(), scopes: ['crm:read'] },
      t.as,
    );
    expect(some.scopes).toEqual(['crm:read']);
    await expect(
      createApiKey(
        deps,
        t.scope,
        t.app.id,
        { name: 'x', secret: fakeSecret(), scopes: ['orders:write'] },
        t.as,
      ),
    ).rejects.toMatchObject({ status: 422, options: { errors: [{ pointer: '/scopes' }] } });
  });

  test('the created key is shown by prefix and last four, and its creation is audited with the actor', async () => {
    const t = await tenantWithApp();
    const secret = fakeSecret();
    const key = await createApiKey(deps, t.scope, t.app.id, { name: 'Clinic sync', secret }, t.as);
    expect(key).toMatchObject({
      prefix: secret.prefix,
      last4: secret.last4,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(key)).not.toContain(secret.digest);
    const [event] = (await listAuditEvents(deps, t.scope, { targetId: key.id }, pageRequest({}, 'aud'))).data;
    expect(event).toMatchObject({
      action: 'api_key.created',
      actor: { type: 'member', memberId: t.owner.id, email: t.owner.email },
      appId: t.app.id,
      environment: 'test',
      requestId: 'req_test',
    });
    expect(JSON.stringify(event)).not.toContain(secret.key);
  });

  test("another partner's app and key are not found, for reads and writes alike", async () => {
    const a = await tenantWithApp();
    const b = await tenantWithApp();
    const key = await createApiKey(deps, a.scope, a.app.id, { name: 'a', secret: fakeSecret() }, a.as);
    await expect(
      createApiKey(deps, b.scope, a.app.id, { name: 'b', secret: fakeSecret() }, b.as),
    ).rejects.toMatchObject({ status: 404 });
    await expect(getApiKey(deps, b.scope, a.app.id, key.id)).rejects.toMatchObject({ status: 404 });
    await expect(getApiKey(deps, b.scope, b.app.id, key.id)).rejects.toMatchObject({ status: 404 });
    await expect(listApiKeys(deps, b.scope, a.app.id, {}, pageRequest({}, 'key'))).rejects.toMatchObject({
      status: 404,
    });
    await expect(revokeApiKey(deps, b.scope, a.app.id, key.id, b.as)).rejects.toMatchObject({ status: 404 });
    await expect(revokeApiKey(deps, b.scope, b.app.id, key.id, b.as)).rejects.toMatchObject({ status: 404 });
    await expect(
      rollApiKey(deps, b.scope, b.app.id, key.id, { secret: fakeSecret(), overlapSeconds: 0 }, b.as),
    ).rejects.toMatchObject({ status: 404 });
    expect((await getApiKey(deps, a.scope, a.app.id, key.id)).status).toBe('active');
    expect(await auditActions(b.partner.id)).not.toContain('api_key.revoked');
  });

  test('a live app awaiting approval cannot hold keys (409)', async () => {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant, 'live');
    expect(app.status).toBe('pending_approval');
    await expect(
      createApiKey(
        deps,
        { partnerId: tenant.partner.id },
        app.id,
        { name: 'k', secret: fakeSecret() },
        tenant.as,
      ),
    ).rejects.toMatchObject({ status: 409 });
  });

  test('an app holds at most 20 active keys; a revoked one frees its place', async () => {
    const t = await tenantWithApp();
    const keys = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS_PER_APP; i++) {
      keys.push(await createApiKey(deps, t.scope, t.app.id, { name: `k${i}`, secret: fakeSecret() }, t.as));
    }
    await expect(
      createApiKey(deps, t.scope, t.app.id, { name: 'one too many', secret: fakeSecret() }, t.as),
    ).rejects.toMatchObject({ status: 409 });
    await revokeApiKey(deps, t.scope, t.app.id, keys[0]!.id, t.as);
    await createApiKey(deps, t.scope, t.app.id, { name: 'replacement', secret: fakeSecret() }, t.as);
  });

  test('rolling with an overlap cannot grow an app past 20 active keys; with no overlap it can always roll', async () => {
    const t = await tenantWithApp();
    const keys = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS_PER_APP; i++) {
      keys.push(await createApiKey(deps, t.scope, t.app.id, { name: `k${i}`, secret: fakeSecret() }, t.as));
    }
    await expect(
      rollApiKey(deps, t.scope, t.app.id, keys[0]!.id, { overlapSeconds: 3600, secret: fakeSecret() }, t.as),
    ).rejects.toMatchObject({ status: 409 });
    // The refused roll changed nothing: the key can still be rolled, with no overlap.
    const rolled = await rollApiKey(
      deps,
      t.scope,
      t.app.id,
      keys[0]!.id,
      { overlapSeconds: 0, secret: fakeSecret() },
      t.as,
    );
    expect(rolled.previousApiKey.status).toBe('expired');
    const active = await listApiKeys(
      deps,
      t.scope,
      t.app.id,
      { status: 'active' },
      pageRequest({ limit: 100 }, 'key'),
    );
    expect(active.data).toHaveLength(MAX_ACTIVE_KEYS_PER_APP);
  });

  test('a write that fails leaves neither the key nor its audit event behind', async () => {
    const t = await tenantWithApp();
    const secret = fakeSecret();
    await createApiKey(deps, t.scope, t.app.id, { name: 'first', secret }, t.as);
    // The same digest again: the unique index refuses the insert after the app was locked.
    // Matched by code, not with toThrow: see migrations.test.ts on better-sqlite3's errors across Jest realms.
    await expect(createApiKey(deps, t.scope, t.app.id, { name: 'dup', secret }, t.as)).rejects.toMatchObject({
      code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/),
    });
    const listed = await listApiKeys(deps, t.scope, t.app.id, {}, pageRequest({}, 'key'));
    expect(listed.data.map((k) => k.name)).toEqual(['first']);
    expect((await auditActions(t.partner.id)).filter((a) => a === 'api_key.created')).toHaveLength(1);
  });

  test('lists an app’s keys newest first, by status, a page at a time', async () => {
    const t = await tenantWithApp();
    const other = await testApp(deps, t);
    const made = [];
    for (const name of ['one', 'two', 'three', 'four']) {
      made.push(await createApiKey(deps, t.scope, t.app.id, { name, secret: fakeSecret() }, t.as));
      deps.clock.advance(1000);
    }
    await createApiKey(deps, t.scope, other.id, { name: 'elsewhere', secret: fakeSecret() }, t.as);
    await revokeApiKey(deps, t.scope, t.app.id, made[1]!.id, t.as);
    await createApiKey(
      deps,
      t.scope,
      t.app.id,
      {
        name: 'short-lived',
        secret: fakeSecret(),
        expiresAt: new Date(deps.clock.now().getTime() + 60_000).toISOString(),
      },
      t.as,
    );
    deps.clock.advance(120_000);

    const first = await listApiKeys(deps, t.scope, t.app.id, {}, pageRequest({ limit: 3 }, 'key'));
    expect(first.data.map((k) => k.name)).toEqual(['short-lived', 'four', 'three']);
    expect(first.hasMore).toBe(true);
    const second = await listApiKeys(
      deps,
      t.scope,
      t.app.id,
      {},
      pageRequest({ limit: 3, cursor: first.nextCursor! }, 'key'),
    );
    expect(second.data.map((k) => k.name)).toEqual(['two', 'one']);
    expect(second.hasMore).toBe(false);

    const names = async (status: 'active' | 'expired' | 'revoked') =>
      (await listApiKeys(deps, t.scope, t.app.id, { status }, pageRequest({}, 'key'))).data.map(
        (k) => k.name,
      );
    expect(await names('active')).toEqual(['four', 'three', 'one']);
    expect(await names('revoked')).toEqual(['two']);
    expect(await names('expired')).toEqual(['short-lived']);
  });

  test('revoking changes an active key once; again, or an expired key, changes nothing', async () => {
    const t = await tenantWithApp();
    const secret = fakeSecret();
    const key = await createApiKey(deps, t.scope, t.app.id, { name: 'k', secret }, t.as);
    const first = await revokeApiKey(deps, t.scope, t.app.id, key.id, t.as);
    expect(first).toMatchObject({ changed: true, digest: secret.digest, apiKey: { status: 'revoked' } });
    expect(first.apiKey.revokedAt).toBe(deps.clock.now().toISOString());
    const again = await revokeApiKey(deps, t.scope, t.app.id, key.id, t.as);
    expect(again.changed).toBe(false);

    const expiring = await createApiKey(
      deps,
      t.scope,
      t.app.id,
      {
        name: 'e',
        secret: fakeSecret(),
        expiresAt: new Date(deps.clock.now().getTime() + 1000).toISOString(),
      },
      t.as,
    );
    deps.clock.advance(2000);
    expect((await revokeApiKey(deps, t.scope, t.app.id, expiring.id, t.as)).changed).toBe(false);
    expect((await auditActions(t.partner.id)).filter((a) => a === 'api_key.revoked')).toHaveLength(1);
  });

  test('concurrent revokes of one key: exactly one changes it', async () => {
    const t = await tenantWithApp();
    const key = await createApiKey(deps, t.scope, t.app.id, { name: 'k', secret: fakeSecret() }, t.as);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => revokeApiKey(deps, t.scope, t.app.id, key.id, t.as)),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect((await auditActions(t.partner.id)).filter((a) => a === 'api_key.revoked')).toHaveLength(1);
  });

  test('rolling makes a new key with the same name and scopes and ends the old one after the overlap', async () => {
    const t = await tenantWithApp();
    const old = await createApiKey(
      deps,
      t.scope,
      t.app.id,
      { name: 'Clinic sync', secret: fakeSecret(), scopes: ['crm:read'] },
      t.as,
    );
    const secret = fakeSecret();
    const rolled = await rollApiKey(deps, t.scope, t.app.id, old.id, { secret, overlapSeconds: 3600 }, t.as);
    expect(rolled.apiKey).toMatchObject({
      name: 'Clinic sync',
      scopes: ['crm:read'],
      prefix: secret.prefix,
      rolledFromId: old.id,
      expiresAt: null,
      status: 'active',
    });
    expect(rolled.previousApiKey).toMatchObject({
      id: old.id,
      replacedById: rolled.apiKey.id,
      status: 'active',
      expiresAt: new Date(deps.clock.now().getTime() + 3_600_000).toISOString(),
    });
    deps.clock.advance(3_600_000);
    expect((await getApiKey(deps, t.scope, t.app.id, old.id)).status).toBe('expired');
    expect((await getApiKey(deps, t.scope, t.app.id, rolled.apiKey.id)).status).toBe('active');
    const [event] = (
      await listAuditEvents(deps, t.scope, { action: 'api_key.rolled' }, pageRequest({}, 'aud'))
    ).data;
    expect(event).toMatchObject({
      target: { id: old.id },
      details: { replacedById: rolled.apiKey.id, overlapSeconds: 3600 },
    });
  });

  test('a roll keeps an earlier expiry the old key already had, and an overlap of 0 ends it now', async () => {
    const t = await tenantWithApp();
    const soon = new Date(deps.clock.now().getTime() + 60_000).toISOString();
    const a = await createApiKey(
      deps,
      t.scope,
      t.app.id,
      { name: 'a', secret: fakeSecret(), expiresAt: soon },
      t.as,
    );
    const rolledA = await rollApiKey(
      deps,
      t.scope,
      t.app.id,
      a.id,
      { secret: fakeSecret(), overlapSeconds: 86_400 },
      t.as,
    );
    expect(rolledA.previousApiKey.expiresAt).toBe(soon);

    const b = await createApiKey(deps, t.scope, t.app.id, { name: 'b', secret: fakeSecret() }, t.as);
    const rolledB = await rollApiKey(
      deps,
      t.scope,
      t.app.id,
      b.id,
      { secret: fakeSecret(), overlapSeconds: 0 },
      t.as,
    );
    expect(rolledB.previousApiKey).toMatchObject({
      status: 'expired',
      expiresAt: deps.clock.now().toISOString(),
    });
  });

  test('a key can be rolled once; a revoked key not at all; concurrent rolls yield one new key', async () => {
    const t = await tenantWithApp();
    const key = await createApiKey(deps, t.scope, t.app.id, { name: 'k', secret: fakeSecret() }, t.as);
    await rollApiKey(deps, t.scope, t.app.id, key.id, { secret: fakeSecret(), overlapSeconds: 600 }, t.as);
    await expect(
      rollApiKey(deps, t.scope, t.app.id, key.id, { secret: fakeSecret(), overlapSeconds: 600 }, t.as),
    ).rejects.toMatchObject({ status: 409 });

    const revoked = await createApiKey(deps, t.scope, t.app.id, { name: 'r', secret: fakeSecret() }, t.as);
    await revokeApiKey(deps, t.scope, t.app.id, revoked.id, t.as);
    await expect(
      rollApiKey(deps, t.scope, t.app.id, revoked.id, { secret: fakeSecret(), overlapSeconds: 600 }, t.as),
    ).rejects.toMatchObject({ status: 409, options: { extensions: { currentStatus: 'revoked' } } });

    const raced = await createApiKey(deps, t.scope, t.app.id, { name: 'raced', secret: fakeSecret() }, t.as);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        rollApiKey(deps, t.scope, t.app.id, raced.id, { secret: fakeSecret(), overlapSeconds: 60 }, t.as),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const children = await deps.db
      .selectFrom('api_keys')
      .select('id')
      .where('rolled_from_id', '=', raced.id)
      .execute();
    expect(children).toHaveLength(1);
  });

  test('last-used times are written for a whole batch at once and never move backwards', async () => {
    const t = await tenantWithApp();
    const a = await createApiKey(deps, t.scope, t.app.id, { name: 'a', secret: fakeSecret() }, t.as);
    const b = await createApiKey(deps, t.scope, t.app.id, { name: 'b', secret: fakeSecret() }, t.as);
    const later = '2026-11-24T10:00:00.000Z';
    const earlier = '2026-11-24T09:45:00.000Z';
    expect(await touchApiKeys(deps, [a.id, b.id, a.id], later)).toBe(2);
    expect(await touchApiKeys(deps, [a.id], earlier)).toBe(0);
    expect((await getApiKey(deps, t.scope, t.app.id, a.id)).lastUsedAt).toBe(later);
    expect((await getApiKey(deps, t.scope, t.app.id, b.id)).lastUsedAt).toBe(later);
    expect(await touchApiKeys(deps, [], later)).toBe(0);
  });
});
