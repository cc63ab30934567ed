// The API key operations on every engine, checked against what a gateway's verifier decides: real `ptc_` keys
// shown once and never again, scopes within the app's, expiry, revocation that reaches a cached key at once,
// rolling with a bounded overlap during which the old key keeps working, tenancy (404, never 403), the role rules
// (a viewer reads only, a developer does not touch live keys) and refused input.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { parseApiKey } from '../../../keys/src/domain/key-format';
import { MAX_ACTIVE_KEYS_PER_APP } from '../../../keys/src/store/api-keys';
import { approvedLiveApp } from './testing/apps';
import { auditEvents } from './testing/audit';
import { gatewayVerifier } from './testing/gateway';
import { joinAs } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

const UNKNOWN_KEY = 'key_01KDVDNA00WQWB43C23YJKKVC4';
const SEVEN_DAYS = 7 * 24 * 3600;

describeEachStore('portal API keys', (store) => {
  let portal: TestPortal;
  let gateway: ReturnType<typeof gatewayVerifier>;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    gateway = gatewayVerifier(portal);
  });
  afterAll(async () => {
    gateway.close();
    await portal.close();
  });

  const outcome = async (key: string) => (await gateway.verify(key)).outcome;

  async function ownerWithApp(scopes = ['crm:read', 'crm:write', 'orders:read']) {
    const owner = await portal.signUp();
    const created = await owner.client.call('createApp', {
      body: { name: 'Clinic sync', environment: 'test', scopes },
    });
    return { owner, app: created.body, appId: created.body.id as string };
  }

  const createKey = async (session: MemberSession, appId: string, body: Record<string, unknown> = {}) => {
    const response = await session.client.call('createApiKey', {
      params: { appId },
      body: { name: 'POS', ...body },
    });
    expect(response.status).toBe(201);
    return response.body as { apiKey: any; key: string };
  };

  const auditOf = (partnerId: string, targetId: string) => auditEvents(portal, partnerId, { targetId });

  test('creates a real ptc_test_ key, shown in full only in the creation response', async () => {
    const { owner, app, appId } = await ownerWithApp();
    const response = await owner.client.call('createApiKey', {
      params: { appId },
      body: { name: 'POS server' },
    });
    expect(response.status).toBe(201);
    const { apiKey, key } = response.body;
    expect(response.headers.get('location')).toBe(`/api/v1/apps/${appId}/api-keys/${apiKey.id}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(parseApiKey(key)).toEqual({ ok: true, environment: 'test' });
    expect(key).toHaveLength(51);
    expect(apiKey).toMatchObject({
      appId,
      name: 'POS server',
      environment: 'test',
      scopes: app.scopes,
      status: 'active',
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      rolledFromId: null,
      replacedById: null,
    });
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(key.endsWith(apiKey.last4)).toBe(true);
    expect(await outcome(key)).toBe('valid');

    const got = await owner.client.call('getApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect(got.body).toEqual(apiKey);
    const listed = await owner.client.call('listApiKeys', { params: { appId } });
    expect(listed.body).toEqual({ data: [apiKey], hasMore: false, nextCursor: null });
    const [event] = await auditOf(owner.partner.id, apiKey.id);
    expect(event).toMatchObject({ action: 'api_key.created', actor: { memberId: owner.member.id } });
    // Neither the key nor any long part of it is ever shown again, nor written to the audit trail or the row.
    const secretPart = key.slice(apiKey.prefix.length, -4);
    for (const text of [got.text, listed.text, JSON.stringify(event)]) expect(text).not.toContain(secretPart);
    const row = await portal.deps.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secretPart);
  });

  test("a key's scopes default to the app's and must be a subset of them (422 naming /scopes)", async () => {
    const { owner, appId } = await ownerWithApp(['crm:read', 'crm:write']);
    const subset = await createKey(owner, appId, { scopes: ['crm:read'] });
    expect(subset.apiKey.scopes).toEqual(['crm:read']);
    const verdict = await gateway.verify(subset.key);
    expect(verdict.outcome === 'valid' && verdict.key.scopes).toEqual(['crm:read']);
    const wider = await owner.client.call('createApiKey', {
      params: { appId },
      body: { name: 'too wide', scopes: ['crm:read', 'orders:write'] },
    });
    expect(wider.status).toBe(422);
    expect(wider.body.errors).toEqual([expect.objectContaining({ pointer: '/scopes' })]);
    expect((await owner.client.call('listApiKeys', { params: { appId } })).body.data).toHaveLength(1);
  });

  test('expiresAt must be in the future (422); the key then expires on time, for the API and the gateway', async () => {
    const { owner, appId } = await ownerWithApp();
    for (const expiresAt of [portal.clock.now().toISOString(), '2020-01-01T00:00:00Z']) {
      const past = await owner.client.call('createApiKey', {
        params: { appId },
        body: { name: 'x', expiresAt },
      });
      expect(past.status).toBe(422);
      expect(past.body.errors).toEqual([expect.objectContaining({ pointer: '/expiresAt' })]);
    }
    const inOneHour = new Date(portal.clock.now().getTime() + 3600_000);
    // An offset is accepted and stored in UTC with milliseconds.
    const offset = inOneHour.toISOString().replace('Z', '+00:00');
    const { apiKey, key } = await createKey(owner, appId, { expiresAt: offset });
    expect(apiKey.expiresAt).toBe(inOneHour.toISOString());
    expect(await outcome(key)).toBe('valid');
    portal.clock.advance(3600_000);
    expect(await outcome(key)).toBe('expired');
    const got = await owner.client.call('getApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect(got.body.status).toBe('expired');
    const expired = await owner.client.call('listApiKeys', {
      params: { appId },
      query: { status: 'expired' },
    });
    expect(expired.body.data.map((k: { id: string }) => k.id)).toEqual([apiKey.id]);
    const revoke = await owner.client.call('revokeApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect([revoke.status, revoke.body.code, revoke.body.currentStatus]).toEqual([
      409,
      'invalid_transition',
      'expired',
    ]);
  });

  test('revoking a key invalidates it: a gateway that cached it reports it revoked; a second revoke is a 409', async () => {
    const { owner, appId } = await ownerWithApp();
    const kept = await createKey(owner, appId, { name: 'kept' });
    const { apiKey, key } = await createKey(owner, appId);
    expect(await outcome(key)).toBe('valid');
    const published = portal.invalidations.length;
    portal.clock.advance(1000);
    const revoked = await owner.client.call('revokeApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      id: apiKey.id,
      status: 'revoked',
      revokedAt: portal.clock.now().toISOString(),
    });
    expect(revoked.text).not.toContain(key.slice(apiKey.prefix.length, -4));
    expect(portal.invalidations.slice(published)).toEqual([
      { type: 'credential', credentialId: apiKey.id, digest: expect.any(String) },
    ]);
    expect(await outcome(key)).toBe('revoked');
    expect(await outcome(kept.key)).toBe('valid');

    const again = await owner.client.call('revokeApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect([again.status, again.body.code, again.body.currentStatus]).toEqual([
      409,
      'invalid_transition',
      'revoked',
    ]);
    expect(portal.invalidations.length).toBe(published + 1);
    const byStatus = async (status: string) =>
      (await owner.client.call('listApiKeys', { params: { appId }, query: { status } })).body.data.map(
        (k: { id: string }) => k.id,
      );
    expect(await byStatus('revoked')).toEqual([apiKey.id]);
    expect(await byStatus('active')).toEqual([kept.apiKey.id]);
    const events = await auditOf(owner.partner.id, apiKey.id);
    expect(events.map((e) => e.action)).toEqual(['api_key.revoked', 'api_key.created']);
  });

  test('rolling makes a new key with the same name and scopes; the old one keeps working until the overlap ends', async () => {
    const { owner, appId } = await ownerWithApp();
    const old = await createKey(owner, appId, { name: 'POS server', scopes: ['crm:read'] });
    expect(await outcome(old.key)).toBe('valid');
    const published = portal.invalidations.length;
    const rolled = await owner.client.call('rollApiKey', {
      params: { appId, apiKeyId: old.apiKey.id },
      body: { overlapSeconds: 3600 },
    });
    expect(rolled.status).toBe(201);
    const { apiKey, key, previousApiKey } = rolled.body;
    expect(rolled.headers.get('location')).toBe(`/api/v1/apps/${appId}/api-keys/${apiKey.id}`);
    expect(parseApiKey(key)).toEqual({ ok: true, environment: 'test' });
    expect(key).not.toBe(old.key);
    expect(apiKey).toMatchObject({
      name: 'POS server',
      scopes: ['crm:read'],
      status: 'active',
      expiresAt: null,
      rolledFromId: old.apiKey.id,
    });
    const overlapEnd = new Date(portal.clock.now().getTime() + 3600_000).toISOString();
    expect(previousApiKey).toMatchObject({
      id: old.apiKey.id,
      status: 'active',
      expiresAt: overlapEnd,
      replacedById: apiKey.id,
    });
    // The gateway had cached the old key without an expiry; the invalidation makes it read the new one.
    expect(portal.invalidations.slice(published)).toEqual([
      { type: 'credential', credentialId: old.apiKey.id, digest: expect.any(String) },
    ]);
    expect(await outcome(key)).toBe('valid');
    expect(await outcome(old.key)).toBe('valid');
    portal.clock.advance(3599_000);
    expect(await outcome(old.key)).toBe('valid');
    const during = await owner.client.call('getApiKey', { params: { appId, apiKeyId: old.apiKey.id } });
    expect(during.body.status).toBe('active');
    portal.clock.advance(1000);
    expect(await outcome(old.key)).toBe('expired');
    expect(await outcome(key)).toBe('valid');
    const after = await owner.client.call('getApiKey', { params: { appId, apiKeyId: old.apiKey.id } });
    expect(after.body).toMatchObject({ status: 'expired', replacedById: apiKey.id });
    const got = await owner.client.call('getApiKey', { params: { appId, apiKeyId: apiKey.id } });
    expect(got.text).not.toContain(key.slice(apiKey.prefix.length, -4));
    const [event] = await auditOf(owner.partner.id, old.apiKey.id);
    expect(event).toMatchObject({
      action: 'api_key.rolled',
      details: { replacedById: apiKey.id, overlapSeconds: 3600 },
    });
  });

  test('the overlap is 0 to 7 days: 0 ends the old key now, 7 days is accepted, anything else is a 400', async () => {
    const { owner, appId } = await ownerWithApp();
    const first = await createKey(owner, appId, { name: 'a' });
    const second = await createKey(owner, appId, { name: 'b' });
    for (const overlapSeconds of [-1, SEVEN_DAYS + 1, 1.5]) {
      const refused = await owner.client.call('rollApiKey', {
        params: { appId, apiKeyId: first.apiKey.id },
        body: { overlapSeconds },
      });
      expect([refused.status, refused.body.errors?.[0]?.pointer]).toEqual([400, '/overlapSeconds']);
    }
    expect(await outcome(first.key)).toBe('valid');
    const now = await owner.client.call('rollApiKey', {
      params: { appId, apiKeyId: first.apiKey.id },
      body: { overlapSeconds: 0 },
    });
    expect(now.body.previousApiKey).toMatchObject({
      status: 'expired',
      expiresAt: portal.clock.now().toISOString(),
    });
    expect(await outcome(first.key)).toBe('expired');
    expect(await outcome(now.body.key)).toBe('valid');
    const week = await owner.client.call('rollApiKey', {
      params: { appId, apiKeyId: second.apiKey.id },
      body: { overlapSeconds: SEVEN_DAYS },
    });
    expect(week.status).toBe(201);
    expect(week.body.previousApiKey.expiresAt).toBe(
      new Date(portal.clock.now().getTime() + SEVEN_DAYS * 1000).toISOString(),
    );
  });

  test('only an active key that was not rolled yet can be rolled (409); the new key may expire, not in the past', async () => {
    const { owner, appId } = await ownerWithApp();
    const old = await createKey(owner, appId);
    const roll = (apiKeyId: string, body: Record<string, unknown> = { overlapSeconds: 60 }) =>
      owner.client.call('rollApiKey', { params: { appId, apiKeyId }, body });
    const past = await roll(old.apiKey.id, { overlapSeconds: 60, expiresAt: '2020-01-01T00:00:00.000Z' });
    expect([past.status, past.body.errors?.[0]?.pointer]).toEqual([422, '/expiresAt']);
    const expiresAt = new Date(portal.clock.now().getTime() + 86_400_000).toISOString();
    const first = await roll(old.apiKey.id, { overlapSeconds: 60, expiresAt });
    expect(first.status).toBe(201);
    expect(first.body.apiKey.expiresAt).toBe(expiresAt);
    // Still active during its overlap, but already replaced.
    expect((await roll(old.apiKey.id)).status).toBe(409);
    const revoked = await createKey(owner, appId);
    await owner.client.call('revokeApiKey', { params: { appId, apiKeyId: revoked.apiKey.id } });
    expect((await roll(revoked.apiKey.id)).status).toBe(409);
    expect((await roll(UNKNOWN_KEY)).status).toBe(404);
    const keys = (await owner.client.call('listApiKeys', { params: { appId } })).body.data;
    expect(keys).toHaveLength(3);
  });

  test("an unknown key, another app's key and another partner's key are all a 404", async () => {
    const { owner, appId } = await ownerWithApp();
    const sibling = await owner.client.call('createApp', {
      body: { name: 'Sibling', environment: 'test', scopes: ['crm:read'] },
    });
    const stranger = await ownerWithApp();
    const mine = await createKey(owner, appId);
    const cases: Array<[MemberSession, string, string]> = [
      [owner, appId, UNKNOWN_KEY],
      [owner, sibling.body.id, mine.apiKey.id],
      [stranger.owner, stranger.appId, mine.apiKey.id],
      [stranger.owner, appId, mine.apiKey.id],
    ];
    for (const [session, app, apiKeyId] of cases) {
      const params = { appId: app, apiKeyId };
      const answers = [
        await session.client.call('getApiKey', { params }),
        await session.client.call('revokeApiKey', { params }),
        await session.client.call('rollApiKey', { params, body: { overlapSeconds: 0 } }),
      ];
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    }
    for (const call of [
      stranger.owner.client.call('listApiKeys', { params: { appId } }),
      stranger.owner.client.call('createApiKey', { params: { appId }, body: { name: 'x' } }),
    ]) {
      expect((await call).status).toBe(404);
    }
    expect(await outcome(mine.key)).toBe('valid');
  });

  test('a viewer reads keys but cannot create, roll or revoke them (403)', async () => {
    const { owner, appId } = await ownerWithApp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const { apiKey, key } = await createKey(owner, appId);
    const params = { appId, apiKeyId: apiKey.id };
    expect((await viewer.client.call('getApiKey', { params })).body).toEqual(apiKey);
    expect((await viewer.client.call('listApiKeys', { params: { appId } })).body.data).toEqual([apiKey]);
    const answers = [
      await viewer.client.call('createApiKey', { params: { appId }, body: { name: 'x' } }),
      await viewer.client.call('rollApiKey', { params, body: { overlapSeconds: 0 } }),
      await viewer.client.call('revokeApiKey', { params }),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([403, 'forbidden']));
    expect(await outcome(key)).toBe('valid');
    expect((await owner.client.call('listApiKeys', { params: { appId } })).body.data).toEqual([apiKey]);
  });

  test("a developer manages a test app's keys but not a live app's (403); an owner or admin can", async () => {
    const { owner, appId } = await ownerWithApp();
    const developer = await joinAs(portal, owner, 'developer');
    const admin = await joinAs(portal, owner, 'admin');
    const own = await createKey(developer, appId);
    const rolled = await developer.client.call('rollApiKey', {
      params: { appId, apiKeyId: own.apiKey.id },
      body: { overlapSeconds: 0 },
    });
    expect(rolled.status).toBe(201);
    expect(
      (await developer.client.call('revokeApiKey', { params: { appId, apiKeyId: rolled.body.apiKey.id } }))
        .status,
    ).toBe(200);

    const live = await approvedLiveApp(portal, owner);
    const liveKey = await createKey(owner, live.id);
    expect(liveKey.key).toMatch(/^ptc_live_/);
    const params = { appId: live.id, apiKeyId: liveKey.apiKey.id };
    const answers = [
      await developer.client.call('createApiKey', { params: { appId: live.id }, body: { name: 'x' } }),
      await developer.client.call('rollApiKey', { params, body: { overlapSeconds: 0 } }),
      await developer.client.call('revokeApiKey', { params }),
      // The app exists, so the role is what refuses; a key that does not exist tells nothing more.
      await developer.client.call('revokeApiKey', { params: { appId: live.id, apiKeyId: UNKNOWN_KEY } }),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(4).fill([403, 'forbidden']));
    expect(await outcome(liveKey.key)).toBe('valid');
    expect((await developer.client.call('getApiKey', { params })).body.status).toBe('active');

    const byAdmin = await createKey(admin, live.id);
    const adminRoll = await admin.client.call('rollApiKey', {
      params: { appId: live.id, apiKeyId: byAdmin.apiKey.id },
      body: { overlapSeconds: 60 },
    });
    expect(adminRoll.status).toBe(201);
    expect((await admin.client.call('revokeApiKey', { params })).status).toBe(200);
    expect(await outcome(liveKey.key)).toBe('revoked');
  });

  test(`an app holds at most ${MAX_ACTIVE_KEYS_PER_APP} active keys (409); a revoked one frees its place`, async () => {
    const { owner, appId } = await ownerWithApp();
    const keys = [];
    for (let i = 0; i < MAX_ACTIVE_KEYS_PER_APP; i += 1)
      keys.push(await createKey(owner, appId, { name: `k${i}` }));
    const over = await owner.client.call('createApiKey', { params: { appId }, body: { name: 'one more' } });
    expect(over.status).toBe(409);
    await owner.client.call('revokeApiKey', { params: { appId, apiKeyId: keys[0]!.apiKey.id } });
    await createKey(owner, appId, { name: 'one more' });
    const page = await owner.client.call('listApiKeys', { params: { appId }, query: { limit: 15 } });
    expect(page.body).toMatchObject({ hasMore: true, nextCursor: expect.any(String) });
    const rest = await owner.client.call('listApiKeys', {
      params: { appId },
      query: { limit: 15, cursor: page.body.nextCursor },
    });
    expect(rest.body.data).toHaveLength(MAX_ACTIVE_KEYS_PER_APP + 1 - 15);
  });

  test('fields only Portico sets are refused with 400, and malformed bodies create or roll nothing', async () => {
    const { owner, appId } = await ownerWithApp();
    const { apiKey } = await createKey(owner, appId);
    for (const extra of [{ status: 'active' }, { key: 'ptc_test_x' }, { environment: 'live' }, { appId }]) {
      const response = await owner.client.call('createApiKey', {
        params: { appId },
        body: { name: 'x', ...extra },
      });
      expect(response.status).toBe(400);
    }
    const count = async () => (await owner.client.call('listApiKeys', { params: { appId } })).body.data;
    await expectBadInputRejected(owner.client, {
      operationId: 'createApiKey',
      params: { appId },
      validBody: { name: 'POS', scopes: ['crm:read'], expiresAt: null },
      wrongType: { pointer: '/name', value: 42 },
      missing: '/name',
      count,
    });
    await expectBadInputRejected(owner.client, {
      operationId: 'rollApiKey',
      params: { appId, apiKeyId: apiKey.id },
      validBody: { overlapSeconds: 60 },
      wrongType: { pointer: '/overlapSeconds', value: 'an hour' },
      missing: '/overlapSeconds',
      count,
    });
  });
});
