// Personal access tokens through the management API, on every engine: the token is shown once and works at once,
// a member sees and revokes only its own, a token cannot mint tokens, the documented limits (expiry, 20 tokens),
// revoking while suspended, and the audit trail.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { AuditAction } from '../../../keys/src/store/audit-events';
import {
  DEFAULT_TOKEN_LIFETIME_MS,
  MAX_ACTIVE_TOKENS_PER_MEMBER,
  MAX_TOKEN_LIFETIME_MS,
} from '../../../keys/src/store/personal-tokens';
import { auditEvents } from './testing/audit';
import { joinAs, personalToken, suspend } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

const UNKNOWN_TOKEN = 'pat_01JDQ7X3S4T1V9KX2M5Q8W0PT1';
const DAY_MS = 24 * 60 * 60 * 1000;

describeEachStore('portal personal tokens', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  const events = (session: MemberSession, action: AuditAction) =>
    auditEvents(portal, session.partner.id, { action });
  const ids = async (session: MemberSession) =>
    (await session.client.call('listPersonalTokens', { query: { limit: 100 } })).body.data.map(
      (t: { id: string }) => t.id,
    );

  test('lifecycle: create (token shown once) → use → get → list → revoke → 401, each change audited', async () => {
    const owner = await portal.signUp();
    const created = await owner.client.call('createPersonalToken', {
      body: { name: 'CI deploy pipeline', scopes: ['platform:read', 'platform:write'] },
    });
    expect(created.status).toBe(201);
    const { personalToken: view, token } = created.body;
    expect(created.headers.get('location')).toBe(`/api/v1/personal-tokens/${view.id}`);
    expect(token).toMatch(/^ptp_[0-9A-Za-z]{30,100}$/);
    expect(view).toEqual({
      id: expect.stringMatching(/^pat_/),
      name: 'CI deploy pipeline',
      scopes: ['platform:read', 'platform:write'],
      prefix: token.slice(0, 8),
      last4: token.slice(-4),
      expiresAt: new Date(portal.clock.now().getTime() + DEFAULT_TOKEN_LIFETIME_MS).toISOString(),
      lastUsedAt: null,
      createdAt: portal.clock.now().toISOString(),
    });

    const me = await portal.withToken(token).call('getMe');
    expect(me.status).toBe(200);
    expect(me.body.authentication).toMatchObject({ method: 'personal_token', personalTokenId: view.id });

    const got = await owner.client.call('getPersonalToken', { params: { personalTokenId: view.id } });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(view);
    const listed = await owner.client.call('listPersonalTokens');
    expect(listed.body).toEqual({ data: [view], hasMore: false, nextCursor: null });
    for (const response of [got, listed]) expect(response.text).not.toContain(token);

    const revoked = await owner.client.call('revokePersonalToken', { params: { personalTokenId: view.id } });
    expect(revoked.status).toBe(204);
    expect(portal.invalidations).toContainEqual({ type: 'credential', credentialId: view.id });
    expect((await portal.withToken(token).call('getMe')).status).toBe(401);
    expect(
      (await owner.client.call('getPersonalToken', { params: { personalTokenId: view.id } })).status,
    ).toBe(404);
    expect(await ids(owner)).toEqual([]);
    expect(
      (await owner.client.call('revokePersonalToken', { params: { personalTokenId: view.id } })).status,
    ).toBe(404);

    const actor = { type: 'member', memberId: owner.member.id, personalTokenId: null };
    expect(await events(owner, 'personal_token.created')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining(actor),
        target: { type: 'personal_token', id: view.id },
        details: expect.objectContaining({
          name: 'CI deploy pipeline',
          prefix: view.prefix,
          last4: view.last4,
        }),
      }),
    ]);
    expect(await events(owner, 'personal_token.revoked')).toEqual([
      expect.objectContaining({ target: { type: 'personal_token', id: view.id } }),
    ]);
  });

  test('the secret is kept only as a digest and never appears again, nor in the audit trail', async () => {
    const owner = await portal.signUp();
    const { id, token } = await personalToken(owner);
    const row = await portal.deps.db
      .selectFrom('personal_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token.slice(4, -4));
    expect(JSON.stringify(await events(owner, 'personal_token.created'))).not.toContain(token);
  });

  test('expiresAt: a chosen time is kept; in the past or more than 366 days away is a 422', async () => {
    const owner = await portal.signUp();
    const now = portal.clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const chosen = await owner.client.call('createPersonalToken', {
      body: { name: 'a week', scopes: ['platform:read'], expiresAt: at(7 * DAY_MS) },
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body.personalToken.expiresAt).toBe(at(7 * DAY_MS));
    const longest = await owner.client.call('createPersonalToken', {
      body: { name: 'a year', scopes: ['platform:read'], expiresAt: at(MAX_TOKEN_LIFETIME_MS) },
    });
    expect(longest.status).toBe(201);
    for (const expiresAt of [at(-1000), at(0), at(MAX_TOKEN_LIFETIME_MS + 1000)]) {
      const refused = await owner.client.call('createPersonalToken', {
        body: { name: 'bad', scopes: ['platform:read'], expiresAt },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0].pointer).toBe('/expiresAt');
    }
    expect(await ids(owner)).toHaveLength(2);
  });

  test('an expired token stops working and is still listed so that its owner sees it lapse', async () => {
    const owner = await portal.signUp();
    const created = await owner.client.call('createPersonalToken', {
      body: {
        name: 'short',
        scopes: ['platform:read'],
        expiresAt: new Date(portal.clock.now().getTime() + 60_000).toISOString(),
      },
    });
    portal.clock.advance(61_000);
    expect((await portal.withToken(created.body.token).call('getMe')).status).toBe(401);
    expect(await ids(owner)).toEqual([created.body.personalToken.id]);
  });

  test('a use is recorded as lastUsedAt, in a batch off the request path', async () => {
    const owner = await portal.signUp();
    const { token, id } = await personalToken(owner, ['platform:read']);
    const lastUsed = async () =>
      (await owner.client.call('getPersonalToken', { params: { personalTokenId: id } })).body.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    portal.clock.advance(5_000);
    const usedAt = portal.clock.now().toISOString();
    expect((await portal.withToken(token).call('getMe')).status).toBe(200);
    expect(await lastUsed()).toBeNull();
    await portal.deps.personalTokenUse.flush();
    expect(await lastUsed()).toBe(usedAt);
  });

  test('a member holds at most 20 tokens (409); revoking one makes room', async () => {
    const owner = await portal.signUp();
    const made: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_TOKENS_PER_MEMBER; i += 1) made.push((await personalToken(owner)).id);
    const over = await owner.client.call('createPersonalToken', {
      body: { name: 'one too many', scopes: ['platform:read'] },
    });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('conflict');
    await owner.client.call('revokePersonalToken', { params: { personalTokenId: made[0]! } });
    expect((await personalToken(owner)).id).toMatch(/^pat_/);
  });

  test("a member sees and revokes only its own tokens: another member's is a 404, even for the owner", async () => {
    const owner = await portal.signUp();
    const dev = await joinAs(portal, owner, 'developer');
    const stranger = await portal.signUp();
    const devToken = await personalToken(dev);
    const ownerToken = await personalToken(owner);
    const strangerToken = await personalToken(stranger);

    expect(await ids(owner)).toEqual([ownerToken.id]);
    expect(await ids(dev)).toEqual([devToken.id]);
    for (const foreign of [devToken.id, strangerToken.id]) {
      const params = { personalTokenId: foreign };
      expect((await owner.client.call('getPersonalToken', { params })).status).toBe(404);
      const revoke = await owner.client.call('revokePersonalToken', { params });
      expect(revoke.status).toBe(404);
      expect(revoke.body.code).toBe('not_found');
    }
    expect(
      (await owner.client.call('getPersonalToken', { params: { personalTokenId: UNKNOWN_TOKEN } })).status,
    ).toBe(404);
    expect((await portal.withToken(devToken.token).call('getMe')).status).toBe(200);
    expect((await portal.withToken(strangerToken.token).call('getMe')).status).toBe(200);
    expect(await events(owner, 'personal_token.revoked')).toEqual([]);
  });

  test('every role, viewers included, manages its own tokens', async () => {
    const owner = await portal.signUp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const { id, token } = await personalToken(viewer, ['platform:read']);
    expect((await portal.withToken(token).call('getMe')).body.member.role).toBe('viewer');
    expect((await viewer.client.call('getPersonalToken', { params: { personalTokenId: id } })).status).toBe(
      200,
    );
    expect(
      (await viewer.client.call('revokePersonalToken', { params: { personalTokenId: id } })).status,
    ).toBe(204);
  });

  test('a token cannot mint tokens (401: only a session may), whatever its scopes; nothing is created', async () => {
    const owner = await portal.signUp();
    const { token } = await personalToken(owner, ['platform:read', 'platform:write']);
    const minted = await portal
      .withToken(token)
      .call('createPersonalToken', { body: { name: 'child', scopes: ['platform:read'] } });
    expect(minted.status).toBe(401);
    expect(minted.body.code).toBe('unauthenticated');
    expect(await ids(owner)).toHaveLength(1);
    const noCsrf = await portal.anonymous.call('createPersonalToken', {
      headers: { cookie: owner.cookie },
      body: { name: 'x', scopes: ['platform:read'] },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf_failed');
  });

  test('a token with platform:write may revoke itself; a read-only token may not (insufficient_scope)', async () => {
    const owner = await portal.signUp();
    const reader = await personalToken(owner, ['platform:read']);
    const refused = await portal
      .withToken(reader.token)
      .call('revokePersonalToken', { params: { personalTokenId: reader.id } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    expect((await portal.withToken(reader.token).call('listPersonalTokens')).status).toBe(200);

    const writer = await personalToken(owner, ['platform:write']);
    const self = await portal
      .withToken(writer.token)
      .call('revokePersonalToken', { params: { personalTokenId: writer.id } });
    expect(self.status).toBe(204);
    expect((await portal.withToken(writer.token).call('getMe')).status).toBe(401);
    expect((await events(owner, 'personal_token.revoked'))[0]!.actor.personalTokenId).toBe(writer.id);
  });

  test('while the partner is suspended tokens can be read and revoked, but not created', async () => {
    const owner = await portal.signUp();
    const { id } = await personalToken(owner);
    await suspend(portal, owner);
    const created = await owner.client.call('createPersonalToken', {
      body: { name: 'x', scopes: ['platform:read'] },
    });
    expect(created.status).toBe(403);
    expect(created.body.code).toBe('forbidden');
    expect(await ids(owner)).toEqual([id]);
    expect((await owner.client.call('revokePersonalToken', { params: { personalTokenId: id } })).status).toBe(
      204,
    );
    expect(await ids(owner)).toEqual([]);
  });

  test('listPersonalTokens pages newest first by cursor', async () => {
    const owner = await portal.signUp();
    const a = await personalToken(owner);
    const b = await personalToken(owner);
    const c = await personalToken(owner);
    const first = await owner.client.call('listPersonalTokens', { query: { limit: 2 } });
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual([c.id, b.id]);
    expect(first.body.hasMore).toBe(true);
    const second = await owner.client.call('listPersonalTokens', {
      query: { limit: 2, cursor: first.body.nextCursor },
    });
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(second.body.data.map((t: { id: string }) => t.id)).toEqual([a.id]);
  });

  test('createPersonalToken refuses bad input, unknown scopes and fields a caller may not set (400)', async () => {
    const owner = await portal.signUp();
    const count = async () => (await ids(owner)).length;
    await expectBadInputRejected(owner.client, {
      operationId: 'createPersonalToken',
      validBody: { name: 'CI', scopes: ['platform:read'] },
      wrongType: { pointer: '/scopes', value: 'platform:read' },
      missing: '/name',
      count,
    });
    const refused = [
      { name: 'CI', scopes: ['crm:read'] },
      { name: 'CI', scopes: [] },
      { name: 'CI', scopes: ['platform:read', 'platform:read'] },
      { name: '', scopes: ['platform:read'] },
      { name: 'CI', scopes: ['platform:read'], expiresAt: 'tomorrow' },
      { name: 'CI', scopes: ['platform:read'], memberId: owner.member.id },
      { name: 'CI', scopes: ['platform:read'], prefix: 'ptp_AAAA' },
      { name: 'CI', scopes: ['platform:read'], token: 'ptp_chosen' },
    ];
    for (const body of refused) {
      const response = await owner.client.call('createPersonalToken', { body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect(await count()).toBe(0);
  });
});
