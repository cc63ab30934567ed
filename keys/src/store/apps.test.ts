// Apps per partner: test apps are active at once, live ones wait for the operator; names are unique per partner
// and environment; another partner's app is not found; deleting an app revokes its credentials.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { randomBytes } from 'node:crypto';
import { createSecretBoxRing } from '../domain/secret-box';
import { createApiKey, getApiKey, revokeApiKey } from './api-keys';
import {
  appCredentialInvalidations,
  createApp,
  deleteApp,
  getApp,
  listApps,
  MAX_APPS_PER_PARTNER,
  reviewApp,
  updateApp,
} from './apps';
import { listAuditEvents } from './audit-events';
import { createOAuthClient } from './oauth-clients';
import { createSigningKey, revokeSigningKey } from './signing-keys';
import { changePartnerPlan } from './partners';
import { SEEDED_PLANS } from './seeded-plans';
import { fakeSecret, OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);

/** A stand-in for the domain's OAuth client secret digest. */
function fakeClientSecret() {
  const digest = randomBytes(32).toString('base64url');
  return { digest, pepperId: 'p1', environment: 'test' as const, last4: digest.slice(-4) };
}

describeEachStore('apps', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'apps');
  });

  test('a test app is active at once; a live app awaits approval', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const test = await createApp(
      deps,
      scope,
      { name: 'Clinic sync', environment: 'test', scopes: ['crm:read'], metadata: { team: 'integrations' } },
      t.as,
    );
    expect(test).toMatchObject({
      partnerId: t.partner.id,
      status: 'active',
      environment: 'test',
      description: null,
      metadata: { team: 'integrations' },
      reviewedAt: null,
    });
    const live = await createApp(
      deps,
      scope,
      { name: 'Clinic sync', environment: 'live', scopes: ['crm:read'] },
      t.as,
    );
    expect(live.status).toBe('pending_approval');
    expect(await getApp(deps, scope, live.id)).toEqual(live);
  });

  test('scopes outside the partner plan are refused with 422', async () => {
    const t = await signUp(deps);
    const narrow = { ...SEEDED_PLANS[0]!, id: deps.newId('pln'), code: 'crm-read', scopes: '["crm:read"]' };
    await deps.db.insertInto('plans').values(narrow).execute();
    await changePartnerPlan(deps, t.partner.id, narrow.id, OPERATOR);
    await expect(
      createApp(
        deps,
        { partnerId: t.partner.id },
        { name: 'x', environment: 'test', scopes: ['crm:write'] },
        t.as,
      ),
    ).rejects.toMatchObject({ status: 422, options: { errors: [{ pointer: '/scopes' }] } });
    const app = await testApp(deps, t, 'test', ['crm:read']);
    await expect(
      updateApp(deps, { partnerId: t.partner.id }, app.id, { scopes: ['orders:read'] }, t.as),
    ).rejects.toMatchObject({ status: 422 });
  });

  test('a name is unique per partner and environment, and free again once its app is deleted', async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    const input = { name: 'Pharmacy POS', environment: 'test' as const, scopes: ['crm:read'] };
    const first = await createApp(deps, { partnerId: a.partner.id }, input, a.as);
    await expect(createApp(deps, { partnerId: a.partner.id }, input, a.as)).rejects.toMatchObject({
      status: 409,
      code: 'already_exists',
    });
    await createApp(deps, { partnerId: a.partner.id }, { ...input, environment: 'live' }, a.as);
    await createApp(deps, { partnerId: b.partner.id }, input, b.as);
    const second = await testApp(deps, a);
    await expect(
      updateApp(deps, { partnerId: a.partner.id }, second.id, { name: 'Pharmacy POS' }, a.as),
    ).rejects.toMatchObject({ status: 409 });
    await deleteApp(deps, { partnerId: a.partner.id }, first.id, a.as);
    await createApp(deps, { partnerId: a.partner.id }, input, a.as);
  });

  test("another partner's app is not found for get, update, delete and list", async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    const app = await testApp(deps, a);
    const asB = { partnerId: b.partner.id };
    await expect(getApp(deps, asB, app.id)).rejects.toMatchObject({ status: 404 });
    await expect(updateApp(deps, asB, app.id, { name: 'mine now' }, b.as)).rejects.toMatchObject({
      status: 404,
    });
    await expect(deleteApp(deps, asB, app.id, b.as)).rejects.toMatchObject({ status: 404 });
    expect((await listApps(deps, asB, {}, pageRequest({}, 'app'))).data).toEqual([]);
    expect(await getApp(deps, { partnerId: a.partner.id }, app.id)).toEqual(app);
  });

  test('lists the partner’s apps newest first, filtered by environment and status', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const one = await testApp(deps, t, 'test');
    const two = await testApp(deps, t, 'live');
    const three = await testApp(deps, t, 'test');
    const ids = async (filter: Parameters<typeof listApps>[2], limit = 20) =>
      (await listApps(deps, scope, filter, pageRequest({ limit }, 'app'))).data.map((a) => a.id);
    expect(await ids({})).toEqual([three.id, two.id, one.id]);
    expect(await ids({ environment: 'test' })).toEqual([three.id, one.id]);
    expect(await ids({ status: 'pending_approval' })).toEqual([two.id]);
    const page = await listApps(deps, scope, {}, pageRequest({ limit: 2 }, 'app'));
    expect(page.hasMore).toBe(true);
    const rest = await listApps(deps, scope, {}, pageRequest({ limit: 2, cursor: page.nextCursor! }, 'app'));
    expect(rest.data.map((a) => a.id)).toEqual([one.id]);
  });

  test('updates change only the given fields, and are audited', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const app = await testApp(deps, t);
    deps.clock.advance(1000);
    const updated = await updateApp(
      deps,
      scope,
      app.id,
      { description: 'Syncs patients', scopes: ['crm:read'] },
      t.as,
    );
    expect(updated).toMatchObject({ name: app.name, description: 'Syncs patients', scopes: ['crm:read'] });
    expect(updated.updatedAt > app.updatedAt).toBe(true);
    const cleared = await updateApp(deps, scope, app.id, { description: null }, t.as);
    expect(cleared.description).toBeNull();
    const events = await listAuditEvents(deps, scope, { targetId: app.id }, pageRequest({}, 'aud'));
    expect(events.data.map((e) => e.action)).toEqual(['app.updated', 'app.updated', 'app.created']);
    expect(events.data[1]!.details).toEqual({ description: 'Syncs patients', scopes: ['crm:read'] });
  });

  test('the operator approves or rejects a live app awaiting review, once; anything else is a 409', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const live = await testApp(deps, t, 'live');
    const approved = await reviewApp(deps, live.id, { action: 'approve', note: 'Looks good' }, OPERATOR);
    expect(approved).toMatchObject({
      status: 'active',
      statusReason: 'Looks good',
      reviewedAt: deps.clock.now().toISOString(),
    });
    await expect(
      reviewApp(deps, live.id, { action: 'reject', reason: 'late' }, OPERATOR),
    ).rejects.toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
    const other = await testApp(deps, t, 'live');
    const rejected = await reviewApp(
      deps,
      other.id,
      { action: 'reject', reason: 'No privacy policy' },
      OPERATOR,
    );
    expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'No privacy policy' });
    const test = await testApp(deps, t, 'test');
    await expect(reviewApp(deps, test.id, { action: 'approve' }, OPERATOR)).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      reviewApp(deps, 'app_01KDVDNA00WQWB43C23YJKKVC4', { action: 'approve' }, OPERATOR),
    ).rejects.toMatchObject({
      status: 404,
    });
    const events = await listAuditEvents(deps, scope, { actorType: 'operator' }, pageRequest({}, 'aud'));
    expect(events.data.map((e) => e.action)).toEqual(['app.rejected', 'app.approved']);
    await createApiKey(deps, scope, live.id, { name: 'now allowed', secret: fakeSecret('live') }, t.as);
  });

  test('deleting an app hides it, revokes its keys at once and returns their digests', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const app = await testApp(deps, t);
    const secret = fakeSecret();
    const key = await createApiKey(deps, scope, app.id, { name: 'k', secret }, t.as);
    const { revokedKeyDigests } = await deleteApp(deps, scope, app.id, t.as);
    expect(revokedKeyDigests).toEqual([secret.digest]);
    await expect(getApp(deps, scope, app.id)).rejects.toMatchObject({ status: 404 });
    await expect(getApiKey(deps, scope, app.id, key.id)).rejects.toMatchObject({ status: 404 });
    const row = await deps.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBe(deps.clock.now().toISOString());
    await expect(deleteApp(deps, scope, app.id, t.as)).rejects.toMatchObject({ status: 404 });
  });

  test('deleting an app returns one invalidation per credential that stopped working, and audits the counts', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const app = await testApp(deps, t);
    const live = fakeSecret();
    const revoked = fakeSecret();
    const liveKey = await createApiKey(deps, scope, app.id, { name: 'live one', secret: live }, t.as);
    const revokedKey = await createApiKey(deps, scope, app.id, { name: 'gone', secret: revoked }, t.as);
    await revokeApiKey(deps, scope, app.id, revokedKey.id, t.as);
    const client = await createOAuthClient(
      deps,
      scope,
      app.id,
      { name: 'c', secret: fakeClientSecret() },
      t.as,
    );
    const { signingKey } = await createSigningKey(
      { ...deps, secretBox },
      scope,
      app.id,
      { algorithm: 'hmac-sha256', name: 's' },
      t.as,
    );
    const { invalidations, revokedKeyDigests } = await deleteApp(deps, scope, app.id, t.as);
    // The key revoked earlier is already refused everywhere; only credentials that worked until now are named.
    expect(revokedKeyDigests).toEqual([live.digest]);
    expect(invalidations).toEqual([
      { type: 'credential', credentialId: liveKey.id, digest: live.digest },
      { type: 'credential', credentialId: signingKey.id },
      { type: 'credential', credentialId: client.id },
    ]);
    const [event] = (await listAuditEvents(deps, scope, { targetId: app.id }, pageRequest({}, 'aud'))).data;
    expect(event).toMatchObject({
      action: 'app.deleted',
      details: { revokedApiKeys: 1, revokedSigningKeys: 1, deletedOAuthClients: 1 },
    });
  });

  test("an app's cacheable credentials are its active keys, active signing keys and OAuth clients", async () => {
    const t = await signUp(deps);
    const other = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const app = await testApp(deps, t);
    const active = fakeSecret();
    const activeKey = await createApiKey(deps, scope, app.id, { name: 'a', secret: active }, t.as);
    const revokedKey = await createApiKey(deps, scope, app.id, { name: 'r', secret: fakeSecret() }, t.as);
    await revokeApiKey(deps, scope, app.id, revokedKey.id, t.as);
    await createApiKey(
      deps,
      scope,
      app.id,
      {
        name: 'e',
        secret: fakeSecret(),
        expiresAt: new Date(deps.clock.now().getTime() + 1000).toISOString(),
      },
      t.as,
    );
    const client = await createOAuthClient(
      deps,
      scope,
      app.id,
      { name: 'c', secret: fakeClientSecret() },
      t.as,
    );
    const signingDeps = { ...deps, secretBox };
    const hmac = { algorithm: 'hmac-sha256' as const, name: 's' };
    const { signingKey } = await createSigningKey(signingDeps, scope, app.id, hmac, t.as);
    const { signingKey: retired } = await createSigningKey(signingDeps, scope, app.id, hmac, t.as);
    await revokeSigningKey(deps, scope, app.id, retired.id, t.as);
    deps.clock.advance(1000);
    expect(await appCredentialInvalidations(deps, scope, app.id)).toEqual([
      { type: 'credential', credentialId: activeKey.id, digest: active.digest },
      { type: 'credential', credentialId: signingKey.id },
      { type: 'credential', credentialId: client.id },
    ]);
    expect(await appCredentialInvalidations(deps, { partnerId: other.partner.id }, app.id)).toEqual([]);
  });

  test('a partner has at most 50 apps, even when created concurrently', async () => {
    const t = await signUp(deps);
    const results = await Promise.allSettled(
      Array.from({ length: MAX_APPS_PER_PARTNER + 5 }, (_, i) =>
        createApp(
          deps,
          { partnerId: t.partner.id },
          { name: `App ${i}`, environment: 'test', scopes: ['crm:read'] },
          t.as,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_APPS_PER_PARTNER);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.status),
    ).toEqual([409, 409, 409, 409, 409]);
  });
});
