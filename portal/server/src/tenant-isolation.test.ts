// Tenant isolation of the management API, generated from the spec: partner A calls EVERY id-taking partner
// operation with partner B's ids (and with its own app but B's credential ids), through a session and through a
// personal token, and is answered 404 exactly as for an id that does not exist — and B's data does not change.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { PLATFORM_SPEC_PATH } from './app';
import { loadOperationPolicies } from './auth/operation-policies';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';
import { requestExample } from './testing/request-examples';
import { joinAs, personalToken } from './testing/members';

const TABLES = [
  'partners',
  'members',
  'sessions',
  'personal_tokens',
  'apps',
  'api_keys',
  'oauth_clients',
  'signing_keys',
  'audit_events',
] as const;

const idRoutes = loadOperationPolicies(PLATFORM_SPEC_PATH).filter(
  (p) => /\{/.test(p.path) && !p.roles.has('operator') && !p.path.includes('{planId}'),
);

describeEachStore('management API tenant isolation', (store) => {
  let portal: TestPortal;
  let a: MemberSession;
  let b: MemberSession;
  let aToken: string;
  const bIds: Record<string, string> = {};
  const aIds: Record<string, string> = {};

  async function snapshotOf(partnerId: string): Promise<string> {
    const rows: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const column = table === 'partners' ? 'id' : 'partner_id';
      rows[table] = await portal.deps.db
        .selectFrom(table)
        .selectAll()
        .where(column as never, '=', partnerId as never)
        .orderBy('id' as never)
        .execute();
    }
    return JSON.stringify(rows);
  }

  async function fillTenant(owner: MemberSession, ids: Record<string, string>): Promise<void> {
    const app = await owner.client.call('createApp', {
      body: {
        name: 'Clinic sync',
        environment: 'test',
        scopes: ['crm:read', 'crm:write', 'entitlements:read'],
      },
    });
    expect(app.status).toBe(201);
    ids.appId = app.body.id;
    const params = { appId: app.body.id };
    const key = await owner.client.call('createApiKey', { params, body: { name: 'server' } });
    ids.apiKeyId = key.body.apiKey.id;
    const client = await owner.client.call('createOAuthClient', { params, body: { name: 'worker' } });
    ids.oauthClientId = client.body.oauthClient.id;
    const signing = await owner.client.call('createSigningKey', {
      params,
      body: { algorithm: 'hmac-sha256', name: 'back office' },
    });
    ids.signingKeyId = signing.body.signingKey.id;
    ids.memberId = (await joinAs(portal, owner, 'developer')).member.id;
    ids.personalTokenId = (await personalToken(owner, ['platform:read'])).id;
  }

  beforeAll(async () => {
    portal = await startTestPortal(store);
    a = await portal.signUp();
    b = await portal.signUp();
    aToken = (await personalToken(a, ['platform:read', 'platform:write'])).token;
    await fillTenant(b, bIds);
    await fillTenant(a, aIds);
  });
  afterAll(() => portal.close());

  test('every id-taking partner operation is covered by the matrix', () => {
    // members 3, personal tokens 2, apps 3, API keys 5, OAuth clients 5, signing keys 4, app usage 1.
    expect(idRoutes).toHaveLength(23);
    for (const route of idRoutes) {
      for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) expect(bIds[name!]).toBeDefined();
    }
  });

  test.each([
    ['B’s ids, through A’s session', 'session', 'theirs'],
    ['B’s ids, through A’s personal token', 'token', 'theirs'],
    ['A’s own app with B’s credential ids', 'session', 'mixed'],
  ] as const)('%s: 404 everywhere, and B’s data is unchanged', async (_label, via, ids) => {
    const before = await snapshotOf(b.partner.id);
    const caller = via === 'session' ? a.client : portal.withToken(aToken);
    for (const route of idRoutes) {
      const params: Record<string, string> = {};
      for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
        params[name!] = ids === 'mixed' && name === 'appId' ? aIds.appId! : bIds[name!]!;
      }
      if (ids === 'mixed' && Object.keys(params).length < 2) continue;
      const body = requestExample(route.operationId);
      const response = await caller.call(route.operationId, {
        params,
        ...(body !== undefined ? { body } : {}),
      });
      const label = `${route.method} ${route.path}`;
      expect({ label, status: response.status, code: response.body?.code }).toEqual({
        label,
        status: 404,
        code: 'not_found',
      });
    }
    expect(await snapshotOf(b.partner.id)).toBe(before);
  });

  test('lists show only the caller’s own objects', async () => {
    const apps = await a.client.call('listApps');
    expect(apps.body.data.map((x: { id: string }) => x.id)).toEqual([aIds.appId]);
    const members = await a.client.call('listMembers');
    expect(members.body.data.map((m: { id: string }) => m.id)).not.toContain(bIds.memberId);
    const events = await a.client.call('listAuditEvents', { query: { limit: 100 } });
    const targets = events.body.data.map((e: { target: { id: string } }) => e.target.id);
    for (const id of Object.values(bIds)) expect(targets).not.toContain(id);
  });
});
