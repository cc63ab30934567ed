// The gateway's uncached verification is one query through the unique digest index, and returns everything the
// domain needs to decide: key, app, partner and plan, as they are now.
import { CompiledQuery, sql } from 'kysely';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { apiKeyVerificationQuery, findApiKeyForVerification } from './api-key-lookup';
import { createApiKey, revokeApiKey } from './api-keys';
import { deleteApp } from './apps';
import { changePartnerPlan, changePartnerStatus } from './partners';
import { FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { fakeSecret, OPERATOR, openKeysStore, signUp, testApp } from './test-fixtures';

describeEachStore('API key verification lookup', (store) => {
  test('finds a key by digest with its app, partner and plan in one row', async () => {
    const deps = await openKeysStore(store, 'lookup');
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const secret = fakeSecret();
    const key = await createApiKey(
      deps,
      { partnerId: tenant.partner.id },
      app.id,
      { name: 'Clinic sync', secret, scopes: ['crm:read'] },
      tenant.as,
    );
    const row = await findApiKeyForVerification(deps, ['not-a-digest', secret.digest]);
    expect(row).toEqual({
      keyId: key.id,
      digest: secret.digest,
      pepperId: 'p1',
      partnerId: tenant.partner.id,
      appId: app.id,
      environment: 'test',
      keyScopes: ['crm:read'],
      expiresAt: null,
      revokedAt: null,
      replacedById: null,
      app: { status: 'active', deleted: false, scopes: app.scopes },
      partner: { status: 'active' },
      plan: {
        id: tenant.partner.planId,
        rateLimits: [{ name: 'burst', limit: 50, windowSeconds: 1 }],
        quotas: [{ name: 'day', limit: 10_000, period: 'day' }],
        apis: ['crm', 'orders', 'entitlements'],
        scopes: expect.arrayContaining(['crm:read']),
      },
    });
    expect(await findApiKeyForVerification(deps, [fakeSecret().digest])).toBeUndefined();
    expect(await findApiKeyForVerification(deps, [])).toBeUndefined();
  });

  test('reflects a revoke, a suspension, a plan change and a deleted app at once', async () => {
    const deps = await openKeysStore(store, 'lookup_changes');
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const app = await testApp(deps, tenant);
    const secret = fakeSecret();
    const key = await createApiKey(deps, scope, app.id, { name: 'k', secret }, tenant.as);

    await changePartnerStatus(deps, tenant.partner.id, { action: 'suspend', reason: 'unpaid' }, OPERATOR);
    expect((await findApiKeyForVerification(deps, [secret.digest]))?.partner.status).toBe('suspended');
    await changePartnerPlan(deps, tenant.partner.id, PRO_PLAN_ID, OPERATOR);
    expect((await findApiKeyForVerification(deps, [secret.digest]))?.plan.id).toBe(PRO_PLAN_ID);

    await revokeApiKey(deps, scope, app.id, key.id, tenant.as);
    expect((await findApiKeyForVerification(deps, [secret.digest]))?.revokedAt).toBe(
      deps.clock.now().toISOString(),
    );
    await deleteApp(deps, scope, app.id, tenant.as);
    expect((await findApiKeyForVerification(deps, [secret.digest]))?.app.deleted).toBe(true);
  });

  test('the uncached lookup is one indexed search of api_keys joined by primary keys, never a scan', async () => {
    const deps = await openKeysStore(store, 'lookup_plan');
    // A store shaped like a real one (many partners and apps, many keys), with fresh statistics, so that each
    // planner picks what it would pick in production; 5,000 keys over 2,000 partners (PostgreSQL reads a table of a
    // few hundred rows whole rather than through its primary key, which is right for it and not what we measure).
    const now = deps.clock.now().toISOString();
    const partners = Array.from({ length: 2000 }, (_, i) => ({
      id: deps.newId('prt'),
      name: `Partner ${i}`,
      website: null,
      contact_email: `p${i}@example.com`,
      country: null,
      status: 'active',
      status_reason: null,
      plan_id: FREE_PLAN_ID,
      created_at: now,
      updated_at: now,
    }));
    const apps = partners.map((p, i) => ({
      id: deps.newId('app'),
      partner_id: p.id,
      name: `App ${i}`,
      description: null,
      environment: 'test',
      status: 'active',
      status_reason: null,
      reviewed_at: null,
      scopes: '["crm:read"]',
      metadata: '{}',
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    }));
    const keys = Array.from({ length: 5000 }, (_, i) => ({
      id: deps.newId('key'),
      partner_id: apps[i % apps.length]!.partner_id,
      app_id: apps[i % apps.length]!.id,
      environment: 'test',
      name: `bulk ${i}`,
      digest: fakeSecret().digest,
      pepper_id: 'p1',
      prefix: 'ptc_test_bulk',
      last4: 'bulk',
      scopes: '["crm:read"]',
      expires_at: null,
      revoked_at: null,
      rolled_from_id: null,
      replaced_by_id: null,
      last_used_at: null,
      created_by: null,
      created_at: now,
    }));
    for (let i = 0; i < partners.length; i += 500) {
      await deps.db
        .insertInto('partners')
        .values(partners.slice(i, i + 500))
        .execute();
      await deps.db
        .insertInto('apps')
        .values(apps.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < keys.length; i += 500) {
      await deps.db
        .insertInto('api_keys')
        .values(keys.slice(i, i + 500))
        .execute();
    }
    await sql`analyze`.execute(deps.db);

    const wanted = keys[1234]!;
    const query = apiKeyVerificationQuery(deps, [wanted.digest]).compile();
    const explain = store.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await deps.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(explain + query.sql, [...query.parameters]),
    );
    const plan = result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
    console.log(`Uncached API key lookup on ${store.dialect}:\n${query.sql}\n${plan}`);

    // The key is found through its unique digest index; the app and the partner by primary key. (The plans table
    // holds a handful of rows, so a planner may read it whole: that is cheaper than an index.)
    if (store.dialect === 'sqlite') {
      expect(plan).toMatch(/SEARCH api_keys USING INDEX api_keys_digest \(digest=\?\)/);
      expect(plan).toMatch(/SEARCH apps USING INDEX \w+ \(id=\?\)/);
      expect(plan).toMatch(/SEARCH partners USING INDEX \w+ \(id=\?\)/);
      expect(plan).not.toMatch(/SCAN (api_keys|apps|partners)/);
    } else {
      expect(plan).toMatch(/Index Scan using api_keys_digest on api_keys/);
      expect(plan).toMatch(/Index Scan using \w+ on apps[^\n]*\n\s*Index Cond: \(id = api_keys\.app_id\)/);
      expect(plan).toMatch(
        /Index Scan using \w+ on partners[^\n]*\n\s*Index Cond: \(id = api_keys\.partner_id\)/,
      );
      expect(plan).not.toMatch(/Seq Scan on (api_keys|apps|partners)/);
    }
    expect(await findApiKeyForVerification(deps, [wanted.digest])).toMatchObject({
      keyId: wanted.id,
      appId: wanted.app_id,
    });
  });
});
