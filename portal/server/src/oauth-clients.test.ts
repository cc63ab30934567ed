// OAuth clients through the management API: the secret is shown once and works at the token endpoint's check,
// rotation keeps the previous secret for the overlap only, deletion and rotation reach the gateways' caches, and
// only the roles the spec names may change a client (developers not on live apps), on every engine.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { authenticateClient } from '../../../keys/src/oauth/client-authentication';
import { deleteApp } from '../../../keys/src/store/apps';
import { findOAuthClientRecord } from '../../../keys/src/store/oauth-clients';
import { appOf, pendingLiveAppOf } from './testing/apps';
import { auditRows, contextOf } from './testing/audit';
import { teamOf, type Team } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

describeEachStore('portal OAuth clients', (store) => {
  let portal: TestPortal;
  let team: Team;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
  });
  afterAll(() => portal.close());

  const create = (
    session: MemberSession,
    appId: string,
    body: Record<string, unknown> = { name: 'Order sync' },
  ) => session.client.call('createOAuthClient', { params: { appId }, body });

  /** Whether the token endpoint's client authentication accepts this secret for the client right now. */
  async function accepts(clientId: string, secret: string): Promise<boolean> {
    const record = await findOAuthClientRecord(portal.deps, clientId);
    return authenticateClient(record, secret, portal.deps.peppers, portal.clock.now()).ok;
  }

  test('lifecycle: create shows the secret once; get and list never do; delete stops the secret at once', async () => {
    const app = await appOf(portal, team.owner);
    const created = await create(team.owner, app.id, { name: 'Order sync worker' });
    expect(created.status).toBe(201);
    const client = created.body.oauthClient;
    const secret: string = created.body.clientSecret;
    expect(secret).toMatch(/^pto_test_[0-9A-Za-z]{30,100}$/);
    expect(client).toMatchObject({
      appId: app.id,
      name: 'Order sync worker',
      environment: 'test',
      // The app's scopes when none are asked for, and the default token lifetime.
      scopes: app.scopes,
      accessTokenTtlSeconds: 3600,
      secretLast4: secret.slice(-4),
      secretRotatedAt: null,
      previousSecretExpiresAt: null,
      lastUsedAt: null,
    });
    expect(created.headers.get('location')).toBe(`/api/v1/apps/${app.id}/oauth-clients/${client.id}`);
    expect(await accepts(client.id, secret)).toBe(true);

    const read = await team.viewer.client.call('getOAuthClient', {
      params: { appId: app.id, oauthClientId: client.id },
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(client);
    const list = await team.viewer.client.call('listOAuthClients', { params: { appId: app.id } });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [client], hasMore: false, nextCursor: null });
    for (const text of [read.text, list.text]) expect(text).not.toContain(secret);
    // Only a digest is stored, and the audit trail never holds the secret either.
    const row = await portal.deps.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('id', '=', client.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret.slice(9));

    const published = portal.invalidations.length;
    const deleted = await team.developer.client.call('deleteOAuthClient', {
      params: { appId: app.id, oauthClientId: client.id },
    });
    expect(deleted.status).toBe(204);
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'credential', credentialId: client.id }]);
    expect(await accepts(client.id, secret)).toBe(false);
    const gone = await team.owner.client.call('getOAuthClient', {
      params: { appId: app.id, oauthClientId: client.id },
    });
    expect(gone.status).toBe(404);
    const again = await team.owner.client.call('deleteOAuthClient', {
      params: { appId: app.id, oauthClientId: client.id },
    });
    expect(again.status).toBe(404);

    const events = await auditRows(portal, client.id);
    expect(events.map((e) => [e.action, e.actor_member_id])).toEqual([
      ['oauth_client.created', team.owner.member.id],
      ['oauth_client.deleted', team.developer.member.id],
    ]);
    expect(events[0]).toMatchObject({ app_id: app.id, environment: 'test', target_type: 'oauth_client' });
    expect(JSON.stringify(events)).not.toContain(secret.slice(9));
  });

  test('rotation: a new secret shown once, the previous one valid for the overlap only; the caches are told', async () => {
    const app = await appOf(portal, team.owner);
    const created = await create(team.owner, app.id);
    const clientId: string = created.body.oauthClient.id;
    const first: string = created.body.clientSecret;

    const published = portal.invalidations.length;
    const rotated = await team.developer.client.call('rotateOAuthClientSecret', {
      params: { appId: app.id, oauthClientId: clientId },
      body: { overlapSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const second: string = rotated.body.clientSecret;
    expect(second).toMatch(/^pto_test_/);
    expect(second).not.toBe(first);
    const now = portal.clock.now().getTime();
    expect(rotated.body.oauthClient).toMatchObject({
      id: clientId,
      secretLast4: second.slice(-4),
      secretRotatedAt: new Date(now).toISOString(),
      previousSecretExpiresAt: new Date(now + 3600_000).toISOString(),
    });
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'credential', credentialId: clientId }]);
    expect(await accepts(clientId, first)).toBe(true);
    expect(await accepts(clientId, second)).toBe(true);

    // A rotation during the overlap replaces the previous secret: at most two are ever valid.
    const third = await team.owner.client.call('rotateOAuthClientSecret', {
      params: { appId: app.id, oauthClientId: clientId },
      body: { overlapSeconds: 0 },
    });
    expect(third.status).toBe(200);
    expect(third.body.oauthClient.previousSecretExpiresAt).toBeNull();
    expect(await accepts(clientId, first)).toBe(false);
    expect(await accepts(clientId, second)).toBe(false);
    expect(await accepts(clientId, third.body.clientSecret)).toBe(true);

    const read = await team.owner.client.call('getOAuthClient', {
      params: { appId: app.id, oauthClientId: clientId },
    });
    expect(read.text).not.toContain(third.body.clientSecret);
    const events = await auditRows(portal, clientId);
    expect(events.map((e) => e.action)).toEqual([
      'oauth_client.created',
      'oauth_client.secret_rotated',
      'oauth_client.secret_rotated',
    ]);
    expect(JSON.parse(events[1]!.details)).toMatchObject({ overlapSeconds: 3600 });
  });

  test('the previous secret stops working when the overlap ends', async () => {
    const app = await appOf(portal, team.owner);
    const created = await create(team.owner, app.id);
    const clientId: string = created.body.oauthClient.id;
    await team.owner.client.call('rotateOAuthClientSecret', {
      params: { appId: app.id, oauthClientId: clientId },
      body: { overlapSeconds: 60 },
    });
    expect(await accepts(clientId, created.body.clientSecret)).toBe(true);
    portal.clock.advance(61_000);
    expect(await accepts(clientId, created.body.clientSecret)).toBe(false);
    const read = await team.owner.client.call('getOAuthClient', {
      params: { appId: app.id, oauthClientId: clientId },
    });
    expect(read.body.previousSecretExpiresAt).toBeNull();
  });

  test("scopes must be a subset of the app's (422 naming /scopes); a lifetime out of range or an overlap over 7 days is a 400", async () => {
    const app = await appOf(portal, team.owner, 'test', ['crm:read', 'orders:read']);
    const narrow = await create(team.owner, app.id, {
      name: 'Narrow',
      scopes: ['crm:read'],
      accessTokenTtlSeconds: 600,
    });
    expect(narrow.status).toBe(201);
    expect(narrow.body.oauthClient).toMatchObject({ scopes: ['crm:read'], accessTokenTtlSeconds: 600 });

    const outside = await create(team.owner, app.id, { name: 'Wide', scopes: ['crm:read', 'orders:write'] });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([expect.objectContaining({ pointer: '/scopes' })]);
    const ttl = await create(team.owner, app.id, { name: 'Short', accessTokenTtlSeconds: 30 });
    expect(ttl.status).toBe(400);
    expect(ttl.body.errors[0].pointer).toBe('/accessTokenTtlSeconds');
    const overlap = await team.owner.client.call('rotateOAuthClientSecret', {
      params: { appId: app.id, oauthClientId: narrow.body.oauthClient.id },
      body: { overlapSeconds: 604_801 },
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors[0].pointer).toBe('/overlapSeconds');
  });

  test('an app holds at most 5 clients, and only an active app holds any (409)', async () => {
    const app = await appOf(portal, team.owner);
    for (let i = 0; i < 5; i += 1)
      expect((await create(team.owner, app.id, { name: `c${i}` })).status).toBe(201);
    const sixth = await create(team.owner, app.id, { name: 'c5' });
    expect(sixth.status).toBe(409);
    expect(sixth.body.code).toBe('conflict');

    const pending = await pendingLiveAppOf(portal, team.owner);
    const refused = await create(team.owner, pending.id);
    expect(refused.status).toBe(409);
    expect(refused.body.currentStatus).toBe('pending_approval');
  });

  test("a missing, deleted or another partner's app or client is a 404, never a 403", async () => {
    const app = await appOf(portal, team.owner);
    const other = await appOf(portal, team.owner);
    const client = (await create(team.owner, app.id)).body.oauthClient;
    const stranger = await portal.signUp();
    const params = { appId: app.id, oauthClientId: client.id };

    for (const call of [
      stranger.client.call('listOAuthClients', { params: { appId: app.id } }),
      stranger.client.call('getOAuthClient', { params }),
      stranger.client.call('createOAuthClient', { params: { appId: app.id }, body: { name: 'x' } }),
      stranger.client.call('rotateOAuthClientSecret', { params, body: { overlapSeconds: 0 } }),
      stranger.client.call('deleteOAuthClient', { params }),
      // The client exists, but under another app of the same partner.
      team.owner.client.call('getOAuthClient', { params: { appId: other.id, oauthClientId: client.id } }),
      team.owner.client.call('deleteOAuthClient', { params: { appId: other.id, oauthClientId: client.id } }),
      team.owner.client.call('getOAuthClient', {
        params: { appId: app.id, oauthClientId: 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1' },
      }),
      team.owner.client.call('rotateOAuthClientSecret', {
        params: { appId: app.id, oauthClientId: 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1' },
        body: { overlapSeconds: 0 },
      }),
      team.owner.client.call('listOAuthClients', { params: { appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0AP1' } }),
    ]) {
      const response = await call;
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 404,
        code: 'not_found',
      });
    }
    expect((await team.owner.client.call('getOAuthClient', { params })).status).toBe(200);

    await deleteApp(portal.deps, { partnerId: team.owner.partner.id }, app.id, contextOf(team.owner));
    expect((await team.owner.client.call('getOAuthClient', { params })).status).toBe(404);
    expect((await team.owner.client.call('listOAuthClients', { params: { appId: app.id } })).status).toBe(
      404,
    );
  });

  test('a viewer reads but changes nothing; a developer changes test clients but not live ones; an admin may', async () => {
    const testApp = await appOf(portal, team.owner);
    const liveApp = await appOf(portal, team.owner, 'live');
    const liveClient = (await create(team.owner, liveApp.id)).body.oauthClient;
    const params = { appId: liveApp.id, oauthClientId: liveClient.id };
    const before = await auditRows(portal, liveClient.id);

    const viewerCreate = await create(team.viewer, testApp.id);
    expect({ status: viewerCreate.status, code: viewerCreate.body.code }).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const testClient = (await create(team.developer, testApp.id)).body.oauthClient;
    for (const response of [
      await team.viewer.client.call('rotateOAuthClientSecret', {
        params: { appId: testApp.id, oauthClientId: testClient.id },
        body: { overlapSeconds: 0 },
      }),
      await team.viewer.client.call('deleteOAuthClient', {
        params: { appId: testApp.id, oauthClientId: testClient.id },
      }),
      await create(team.developer, liveApp.id),
      await team.developer.client.call('rotateOAuthClientSecret', { params, body: { overlapSeconds: 0 } }),
      await team.developer.client.call('deleteOAuthClient', { params }),
    ]) {
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
    }
    // Reading a live app's clients stays open to every role.
    expect((await team.developer.client.call('getOAuthClient', { params })).status).toBe(200);
    expect(
      (await team.viewer.client.call('listOAuthClients', { params: { appId: liveApp.id } })).body.data,
    ).toHaveLength(1);
    expect(await auditRows(portal, liveClient.id)).toEqual(before);

    const rotated = await team.admin.client.call('rotateOAuthClientSecret', {
      params,
      body: { overlapSeconds: 0 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.clientSecret).toMatch(/^pto_live_/);
    expect((await create(team.admin, liveApp.id)).status).toBe(201);
    expect((await team.admin.client.call('deleteOAuthClient', { params })).status).toBe(204);
  });

  test('createOAuthClient refuses bad input and fields only Portico sets (400), writing nothing', async () => {
    const app = await appOf(portal, team.owner);
    const count = async () =>
      (await portal.deps.db.selectFrom('oauth_clients').select('id').where('app_id', '=', app.id).execute())
        .length;
    await expectBadInputRejected(team.owner.client, {
      operationId: 'createOAuthClient',
      params: { appId: app.id },
      validBody: { name: 'Order sync', scopes: ['crm:read'], accessTokenTtlSeconds: 600 },
      wrongType: { pointer: '/accessTokenTtlSeconds', value: 'an hour' },
      missing: '/name',
      count,
    });
    for (const field of [
      { id: 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1' },
      { appId: app.id },
      { environment: 'live' },
      { clientSecret: 'pto_test_chosenbythecaller0000000000000000' },
      { secretLast4: 'abcd' },
    ]) {
      const response = await create(team.owner, app.id, { name: 'Sneaky', ...field });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].pointer).toBe(`/${Object.keys(field)[0]}`);
    }
    expect(await count()).toBe(0);
  });
});
