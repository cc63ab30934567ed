// The app operations on every engine: the lifecycle and its audit trail, test apps active at once and live ones
// awaiting the operator, the plan's scopes, unique names, tenancy (404, never 403), the role rules (a viewer reads
// only, a developer does not change live apps), refused input, and what deleting or narrowing an app does to the
// keys a gateway holds in its cache.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { SYSTEM_CONTEXT } from '../../../keys/src/store/audit-events';
import { changePartnerPlan } from '../../../keys/src/store/partners';
import { SEEDED_PLANS } from '../../../keys/src/store/seeded-plans';
import { approvedLiveApp } from './testing/apps';
import { auditEvents } from './testing/audit';
import { gatewayVerifier } from './testing/gateway';
import { joinAs } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

const UNKNOWN_APP = 'app_01KDVDNA00WQWB43C23YJKKVC4';

describeEachStore('portal apps', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  let appCount = 0;
  const newApp = (overrides: Record<string, unknown> = {}) => {
    appCount += 1;
    return {
      name: `Clinic sync ${appCount}`,
      environment: 'test',
      scopes: ['crm:read', 'crm:write'],
      ...overrides,
    };
  };

  const create = async (session: MemberSession, overrides: Record<string, unknown> = {}) => {
    const response = await session.client.call('createApp', { body: newApp(overrides) });
    expect(response.status).toBe(201);
    return response.body;
  };

  const auditOf = (partnerId: string, targetId: string) => auditEvents(portal, partnerId, { targetId });

  test('create → get → list → update → delete, each change audited; a deleted app is gone', async () => {
    const owner = await portal.signUp();
    const created = await owner.client.call('createApp', {
      body: newApp({ description: 'Syncs patients', metadata: { team: 'integrations' } }),
    });
    expect(created.status).toBe(201);
    const app = created.body;
    expect(created.headers.get('location')).toBe(`/api/v1/apps/${app.id}`);
    expect(app).toMatchObject({
      partnerId: owner.partner.id,
      environment: 'test',
      status: 'active',
      description: 'Syncs patients',
      metadata: { team: 'integrations' },
      scopes: ['crm:read', 'crm:write'],
      reviewedAt: null,
    });
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).body).toEqual(app);
    const listed = await owner.client.call('listApps');
    expect(listed.body).toMatchObject({ data: [app], hasMore: false, nextCursor: null });

    portal.clock.advance(1000);
    const updated = await owner.client.call('updateApp', {
      params: { appId: app.id },
      body: { name: 'Clinic sync (renamed)', description: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Clinic sync (renamed)',
      description: null,
      scopes: app.scopes,
      metadata: app.metadata,
    });
    expect(updated.body.updatedAt > app.updatedAt).toBe(true);

    const deleted = await owner.client.call('deleteApp', { params: { appId: app.id } });
    expect(deleted.status).toBe(204);
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).status).toBe(404);
    expect((await owner.client.call('deleteApp', { params: { appId: app.id } })).status).toBe(404);
    expect((await owner.client.call('listApps')).body.data).toEqual([]);

    const events = await auditOf(owner.partner.id, app.id);
    expect(events.map((e) => e.action)).toEqual(['app.deleted', 'app.updated', 'app.created']);
    expect(events.every((e) => e.actor.memberId === owner.member.id)).toBe(true);
    expect(events[1]!.details).toEqual({ name: 'Clinic sync (renamed)', description: null });
  });

  test('a live app starts pending_approval and takes no keys until the operator approves it', async () => {
    const owner = await portal.signUp();
    const live = await create(owner, { environment: 'live' });
    expect(live).toMatchObject({ status: 'pending_approval', statusReason: null, reviewedAt: null });
    const refused = await owner.client.call('createApiKey', {
      params: { appId: live.id },
      body: { name: 'k' },
    });
    expect(refused.status).toBe(409);
    const approved = await approvedLiveApp(portal, owner);
    const key = await owner.client.call('createApiKey', {
      params: { appId: approved.id },
      body: { name: 'k' },
    });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^ptc_live_/);
  });

  test('lists newest first, filtered by environment and status, page by page', async () => {
    const owner = await portal.signUp();
    const one = await create(owner);
    const two = await create(owner, { environment: 'live' });
    const three = await create(owner);
    const ids = async (query: Record<string, string | number> = {}) =>
      (await owner.client.call('listApps', { query })).body.data.map((a: { id: string }) => a.id);
    expect(await ids()).toEqual([three.id, two.id, one.id]);
    expect(await ids({ environment: 'test' })).toEqual([three.id, one.id]);
    expect(await ids({ status: 'pending_approval' })).toEqual([two.id]);
    const first = await owner.client.call('listApps', { query: { limit: 2 } });
    expect(first.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    expect(await ids({ limit: 2, cursor: first.body.nextCursor })).toEqual([one.id]);
    const foreignCursor = Buffer.from(`v1:${'key_01KDVDNA00WQWB43C23YJKKVC4'}`).toString('base64url');
    expect((await owner.client.call('listApps', { query: { cursor: foreignCursor } })).status).toBe(400);
    expect((await owner.client.call('listApps', { query: { environment: 'staging' } })).status).toBe(400);
  });

  test("scopes outside the partner's plan are a 422 naming /scopes, on create and on update", async () => {
    const owner = await portal.signUp();
    const app = await create(owner, { scopes: ['crm:read'] });
    const narrow = {
      ...SEEDED_PLANS[0]!,
      id: portal.deps.newId('pln'),
      code: `crm-${appCount}`,
      scopes: '["crm:read"]',
    };
    await portal.deps.db.insertInto('plans').values(narrow).execute();
    await changePartnerPlan(portal.deps, owner.partner.id, narrow.id, SYSTEM_CONTEXT);
    const created = await owner.client.call('createApp', {
      body: newApp({ scopes: ['crm:read', 'orders:read'] }),
    });
    expect(created.status).toBe(422);
    expect(created.body.errors).toEqual([expect.objectContaining({ pointer: '/scopes' })]);
    const updated = await owner.client.call('updateApp', {
      params: { appId: app.id },
      body: { scopes: ['crm:write'] },
    });
    expect(updated.status).toBe(422);
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).body.scopes).toEqual([
      'crm:read',
    ]);
  });

  test('a name is unique per partner and environment: 409 on create and on rename', async () => {
    const owner = await portal.signUp();
    const other = await portal.signUp();
    const first = await create(owner, { name: 'POS connector' });
    const again = await owner.client.call('createApp', { body: newApp({ name: 'POS connector' }) });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ pointer: '/name' })]);
    await create(owner, { name: 'POS connector', environment: 'live' });
    await create(other, { name: 'POS connector' });
    const second = await create(owner, { name: 'Back office' });
    const rename = await owner.client.call('updateApp', {
      params: { appId: second.id },
      body: { name: first.name },
    });
    expect(rename.status).toBe(409);
  });

  test("another partner's app is a 404 exactly like a missing one, for every app operation", async () => {
    const owner = await portal.signUp();
    const stranger = await portal.signUp();
    const app = await create(owner);
    const live = await approvedLiveApp(portal, owner);
    for (const appId of [app.id, live.id, UNKNOWN_APP]) {
      const params = { appId };
      const answers = [
        await stranger.client.call('getApp', { params }),
        await stranger.client.call('updateApp', { params, body: { name: 'mine now' } }),
        await stranger.client.call('deleteApp', { params }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body.code).toBe('not_found');
      }
    }
    expect((await stranger.client.call('listApps')).body.data).toEqual([]);
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).body.name).toBe(app.name);
  });

  test('a viewer reads apps but changes nothing (403)', async () => {
    const owner = await portal.signUp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const app = await create(owner);
    expect((await viewer.client.call('getApp', { params: { appId: app.id } })).status).toBe(200);
    expect((await viewer.client.call('listApps')).body.data).toHaveLength(1);
    const answers = [
      await viewer.client.call('createApp', { body: newApp() }),
      await viewer.client.call('updateApp', { params: { appId: app.id }, body: { name: 'x' } }),
      await viewer.client.call('deleteApp', { params: { appId: app.id } }),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([403, 'forbidden']));
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).body).toEqual(app);
    expect((await owner.client.call('listApps')).body.data).toHaveLength(1);
  });

  test('a developer manages test apps but cannot create, change or delete a live one (403); an admin can', async () => {
    const owner = await portal.signUp();
    const developer = await joinAs(portal, owner, 'developer');
    const admin = await joinAs(portal, owner, 'admin');

    const own = await create(developer);
    expect(
      (await developer.client.call('updateApp', { params: { appId: own.id }, body: { name: 'Mine' } }))
        .status,
    ).toBe(200);
    expect((await developer.client.call('deleteApp', { params: { appId: own.id } })).status).toBe(204);

    const refused = await developer.client.call('createApp', { body: newApp({ environment: 'live' }) });
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    const live = await create(owner, { environment: 'live' });
    const update = await developer.client.call('updateApp', {
      params: { appId: live.id },
      body: { name: 'x' },
    });
    const remove = await developer.client.call('deleteApp', { params: { appId: live.id } });
    expect([update.status, remove.status]).toEqual([403, 403]);
    expect((await owner.client.call('getApp', { params: { appId: live.id } })).body).toEqual(live);
    // Existence is checked before the role: a developer learns nothing new about apps that do not exist.
    expect((await developer.client.call('deleteApp', { params: { appId: UNKNOWN_APP } })).status).toBe(404);
    expect((await developer.client.call('getApp', { params: { appId: live.id } })).status).toBe(200);

    expect((await admin.client.call('createApp', { body: newApp({ environment: 'live' }) })).status).toBe(
      201,
    );
    expect(
      (await admin.client.call('updateApp', { params: { appId: live.id }, body: { name: 'Renamed' } }))
        .status,
    ).toBe(200);
    expect((await admin.client.call('deleteApp', { params: { appId: live.id } })).status).toBe(204);
  });

  test('fields only Portico or the operator set are refused with 400, and malformed bodies change nothing', async () => {
    const owner = await portal.signUp();
    const app = await create(owner);
    for (const extra of [{ status: 'active' }, { partnerId: owner.partner.id }, { id: UNKNOWN_APP }]) {
      const response = await owner.client.call('createApp', { body: { ...newApp(), ...extra } });
      expect(response.status).toBe(400);
    }
    for (const extra of [{ environment: 'live' }, { status: 'rejected' }, { reviewedAt: null }]) {
      const response = await owner.client.call('updateApp', { params: { appId: app.id }, body: extra });
      expect(response.status).toBe(400);
    }
    const count = async () => (await owner.client.call('listApps', { query: { limit: 100 } })).body.data;
    await expectBadInputRejected(owner.client, {
      operationId: 'createApp',
      validBody: newApp({ metadata: { team: 'x' } }),
      wrongType: { pointer: '/scopes', value: 'crm:read' },
      missing: '/environment',
      count,
    });
    await expectBadInputRejected(owner.client, {
      operationId: 'updateApp',
      params: { appId: app.id },
      validBody: { name: 'Renamed' },
      wrongType: { pointer: '/name', value: 42 },
      count,
    });
    expect((await owner.client.call('getApp', { params: { appId: app.id } })).body).toEqual(app);
  });

  test('deleting an app revokes its keys: one invalidation per credential, and a cached key is refused at once', async () => {
    const owner = await portal.signUp();
    const app = await create(owner);
    const gateway = gatewayVerifier(portal);
    try {
      const created = await owner.client.call('createApiKey', {
        params: { appId: app.id },
        body: { name: 'k' },
      });
      expect((await gateway.verify(created.body.key)).outcome).toBe('valid');
      const published = portal.invalidations.length;
      expect((await owner.client.call('deleteApp', { params: { appId: app.id } })).status).toBe(204);
      expect(portal.invalidations.slice(published)).toEqual([
        { type: 'credential', credentialId: created.body.apiKey.id, digest: expect.any(String) },
      ]);
      // The gateway had the key cached; the invalidation dropped it, and the store says its app is gone.
      expect((await gateway.verify(created.body.key)).outcome).toBe('not_found');
      const [event] = await auditOf(owner.partner.id, app.id);
      expect(event).toMatchObject({ action: 'app.deleted', details: { revokedApiKeys: 1 } });
    } finally {
      gateway.close();
    }
  });

  test("narrowing an app's scopes narrows its cached keys at once; name and metadata changes invalidate nothing", async () => {
    const owner = await portal.signUp();
    const app = await create(owner, { scopes: ['crm:read', 'crm:write'] });
    const gateway = gatewayVerifier(portal);
    try {
      const created = await owner.client.call('createApiKey', {
        params: { appId: app.id },
        body: { name: 'k' },
      });
      const scopesOf = async () => {
        const verdict = await gateway.verify(created.body.key);
        return verdict.outcome === 'valid' ? [...verdict.key.scopes].sort() : verdict.outcome;
      };
      expect(await scopesOf()).toEqual(['crm:read', 'crm:write']);

      let published = portal.invalidations.length;
      await owner.client.call('updateApp', {
        params: { appId: app.id },
        body: { name: 'Renamed', metadata: {} },
      });
      expect(portal.invalidations.length).toBe(published);
      // Scopes sent unchanged still invalidate: a concurrent PATCH may have changed them in between.
      await owner.client.call('updateApp', {
        params: { appId: app.id },
        body: { scopes: ['crm:write', 'crm:read'] },
      });
      expect(portal.invalidations.length).toBe(published + 1);

      published = portal.invalidations.length;
      const narrowed = await owner.client.call('updateApp', {
        params: { appId: app.id },
        body: { scopes: ['crm:read'] },
      });
      expect(narrowed.body.scopes).toEqual(['crm:read']);
      expect(portal.invalidations.slice(published)).toEqual([
        { type: 'credential', credentialId: created.body.apiKey.id, digest: expect.any(String) },
      ]);
      expect(await scopesOf()).toEqual(['crm:read']);
    } finally {
      gateway.close();
    }
  });
});
