// The members of a partner through the management API, on every engine: inviting (the token reaches only the
// invitee), reading, listing, changing roles and removing, under the Roles table (admins never touch owners), the
// last-owner rule, tenancy (another partner's member is a 404) and the audit trail.
import { randomBytes } from 'node:crypto';
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { AuditAction } from '../../../keys/src/store/audit-events';
import {
  inviteMember as inviteInStore,
  INVITATION_LIFETIME_MS,
} from '../../../keys/src/store/member-invitations';
import { auditEvents, contextOf } from './testing/audit';
import { invitationTokenTo, joinAs, personalToken, suspend } from './testing/members';
import {
  TEST_PASSWORD,
  type MemberSession,
  type TestPortal,
  startTestPortal,
} from './testing/portal-harness';

const UNKNOWN_MEMBER = 'mem_01JDQ7X3S4T1V9KX2M5Q8W0MB2';

describeEachStore('portal members', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  const email = () => `invitee.${randomBytes(4).toString('hex')}@jadepharm.example`;
  const events = (session: MemberSession, action: AuditAction) =>
    auditEvents(portal, session.partner.id, { action });
  const memberCount = async (session: MemberSession) =>
    (await session.client.call('listMembers', { query: { limit: 100 } })).body.data.length;

  test('lifecycle: invite → get → list → accept → change role → remove, each audited', async () => {
    const owner = await portal.signUp();
    const address = email();
    const invited = await owner.client.call('inviteMember', { body: { email: address, role: 'developer' } });
    expect(invited.status).toBe(201);
    const id = invited.body.id as string;
    expect(invited.headers.get('location')).toBe(`/api/v1/members/${id}`);
    expect(invited.body).toEqual({
      id,
      email: address,
      name: null,
      role: 'developer',
      status: 'invited',
      invitationExpiresAt: new Date(portal.clock.now().getTime() + INVITATION_LIFETIME_MS).toISOString(),
      lastLoginAt: null,
      createdAt: portal.clock.now().toISOString(),
      updatedAt: portal.clock.now().toISOString(),
    });

    const got = await owner.client.call('getMember', { params: { memberId: id } });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(invited.body);
    const listed = await owner.client.call('listMembers');
    expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([id, owner.member.id]);

    const accepted = await portal.anonymous.call('acceptInvitation', {
      body: { token: invitationTokenTo(portal, address), name: 'Zhang Min', password: TEST_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect((await owner.client.call('getMember', { params: { memberId: id } })).body).toMatchObject({
      status: 'active',
      name: 'Zhang Min',
      invitationExpiresAt: null,
    });

    const changed = await owner.client.call('updateMember', {
      params: { memberId: id },
      body: { role: 'admin' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, role: 'admin' });
    expect((await owner.client.call('getMember', { params: { memberId: id } })).body.role).toBe('admin');

    const removed = await owner.client.call('removeMember', { params: { memberId: id } });
    expect(removed.status).toBe(204);
    expect((await owner.client.call('getMember', { params: { memberId: id } })).status).toBe(404);
    expect((await owner.client.call('removeMember', { params: { memberId: id } })).status).toBe(404);

    const actor = { type: 'member', memberId: owner.member.id, email: owner.member.email };
    expect(await events(owner, 'member.invited')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining(actor),
        target: { type: 'member', id },
        details: expect.objectContaining({ email: address, role: 'developer' }),
      }),
    ]);
    expect(await events(owner, 'member.role_changed')).toEqual([
      expect.objectContaining({
        target: { type: 'member', id },
        details: expect.objectContaining({ from: 'developer', to: 'admin' }),
      }),
    ]);
    expect(await events(owner, 'member.removed')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining(actor), target: { type: 'member', id } }),
    ]);
  });

  test('the invitation token goes to the invitee only: never in the response, never stored in clear', async () => {
    const owner = await portal.signUp();
    const address = email();
    const invited = await owner.client.call('inviteMember', { body: { email: address, role: 'viewer' } });
    const message = [...portal.mail].reverse().find((m) => m.to === address)!;
    expect(message.subject).toContain(owner.partner.name);
    expect(message.text).toContain(owner.member.email);
    expect(message.text).toContain('viewer');
    expect(message.text).toContain(invited.body.invitationExpiresAt);
    const token = invitationTokenTo(portal, address);
    expect(token).toMatch(/^pti_[0-9A-Za-z]{30,100}$/);
    expect(message.text).toContain(`${portal.deps.publicUrl}/invitations/accept#token=${token}`);
    expect(invited.text).not.toContain(token);
    expect(invited.text).not.toContain('pti_');
    for (const h of invited.headers.values()) expect(h).not.toContain(token);
    const row = await portal.deps.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', invited.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await events(owner, 'member.invited'))).not.toContain(token);
  });

  test('an invitation whose email cannot be sent is still stored (201) and can be withdrawn', async () => {
    const owner = await portal.signUp();
    const working = portal.deps.mailer;
    portal.deps.mailer = {
      send: async () => {
        throw new Error('smtp down');
      },
    };
    try {
      const invited = await owner.client.call('inviteMember', { body: { email: email(), role: 'viewer' } });
      expect(invited.status).toBe(201);
      expect(invited.body.status).toBe('invited');
      const withdrawn = await owner.client.call('removeMember', { params: { memberId: invited.body.id } });
      expect(withdrawn.status).toBe(204);
    } finally {
      portal.deps.mailer = working;
    }
  });

  test('listMembers pages newest first by cursor and filters by role and status', async () => {
    const owner = await portal.signUp();
    const viewer = await owner.client.call('inviteMember', { body: { email: email(), role: 'viewer' } });
    const dev = await joinAs(portal, owner, 'developer');
    const first = await owner.client.call('listMembers', { query: { limit: 2 } });
    expect(first.body.data.map((m: { id: string }) => m.id)).toEqual([dev.member.id, viewer.body.id]);
    expect(first.body.hasMore).toBe(true);
    const second = await owner.client.call('listMembers', {
      query: { limit: 2, cursor: first.body.nextCursor },
    });
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(second.body.data.map((m: { id: string }) => m.id)).toEqual([owner.member.id]);

    const ids = async (query: Record<string, string>) =>
      (await owner.client.call('listMembers', { query })).body.data.map((m: { id: string }) => m.id);
    expect(await ids({ status: 'invited' })).toEqual([viewer.body.id]);
    expect(await ids({ status: 'active' })).toEqual([dev.member.id, owner.member.id]);
    expect(await ids({ role: 'owner' })).toEqual([owner.member.id]);
    expect(await ids({ role: 'developer', status: 'invited' })).toEqual([]);

    const badRole = await owner.client.call('listMembers', { query: { role: 'superuser' } });
    expect(badRole.status).toBe(400);
    const foreignCursor = await owner.client.call('listMembers', {
      query: { cursor: Buffer.from('v1:app_01JDQ7X3S4T1V9KX2M5Q8W0MB2').toString('base64url') },
    });
    expect(foreignCursor.status).toBe(400);
    expect(foreignCursor.body.code).toBe('invalid_cursor');
  });

  test("every role reads the members; another partner's member is a 404 for reading and changing", async () => {
    const owner = await portal.signUp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const other = await portal.signUp();
    for (const session of [owner, viewer]) {
      expect((await session.client.call('listMembers')).status).toBe(200);
      expect((await session.client.call('getMember', { params: { memberId: owner.member.id } })).status).toBe(
        200,
      );
    }
    const foreign = { memberId: other.member.id };
    expect((await owner.client.call('getMember', { params: foreign })).status).toBe(404);
    expect(
      (await owner.client.call('updateMember', { params: foreign, body: { role: 'viewer' } })).status,
    ).toBe(404);
    expect((await owner.client.call('removeMember', { params: foreign })).status).toBe(404);
    expect((await owner.client.call('getMember', { params: { memberId: UNKNOWN_MEMBER } })).body.code).toBe(
      'not_found',
    );
    const listed = await owner.client.call('listMembers');
    expect(listed.body.data.map((m: { id: string }) => m.id)).not.toContain(other.member.id);
    expect((await other.client.call('getMember', { params: foreign })).body.role).toBe('owner');
  });

  test('an address already used by a member of any partner is a 409, whatever its case', async () => {
    const owner = await portal.signUp();
    const other = await portal.signUp();
    for (const address of [other.member.email, owner.member.email.toUpperCase()]) {
      const taken = await owner.client.call('inviteMember', { body: { email: address, role: 'viewer' } });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('already_exists');
    }
    expect(await memberCount(owner)).toBe(1);
  });

  test('a partner has at most 100 members, invited ones included (409)', async () => {
    const owner = await portal.signUp();
    for (let i = 1; i < 100; i += 1) {
      await inviteInStore(
        portal.deps,
        { partnerId: owner.partner.id },
        {
          email: email(),
          role: 'viewer',
          invitation: { pepperId: 'p1', digest: randomBytes(32).toString('base64url') },
        },
        contextOf(owner),
      );
    }
    const full = await owner.client.call('inviteMember', { body: { email: email(), role: 'viewer' } });
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('conflict');
  });

  test('admins manage members but never owners nor the owner role (403); owners may do both', async () => {
    const owner = await portal.signUp();
    const admin = await joinAs(portal, owner, 'admin');
    const dev = await joinAs(portal, owner, 'developer');
    const before = await memberCount(owner);

    const inviteOwner = await admin.client.call('inviteMember', { body: { email: email(), role: 'owner' } });
    expect(inviteOwner.status).toBe(403);
    expect(inviteOwner.body.code).toBe('forbidden');
    const promote = await admin.client.call('updateMember', {
      params: { memberId: dev.member.id },
      body: { role: 'owner' },
    });
    expect(promote.status).toBe(403);
    const promoteSelf = await admin.client.call('updateMember', {
      params: { memberId: admin.member.id },
      body: { role: 'owner' },
    });
    expect(promoteSelf.status).toBe(403);
    const demoteOwner = await admin.client.call('updateMember', {
      params: { memberId: owner.member.id },
      body: { role: 'viewer' },
    });
    expect(demoteOwner.status).toBe(403);
    const removeOwner = await admin.client.call('removeMember', { params: { memberId: owner.member.id } });
    expect(removeOwner.status).toBe(403);
    expect(await memberCount(owner)).toBe(before);
    expect((await owner.client.call('getMember', { params: { memberId: owner.member.id } })).body.role).toBe(
      'owner',
    );
    expect(await events(owner, 'member.role_changed')).toEqual([]);

    const invited = await admin.client.call('inviteMember', { body: { email: email(), role: 'admin' } });
    expect(invited.status).toBe(201);
    const demoted = await admin.client.call('updateMember', {
      params: { memberId: dev.member.id },
      body: { role: 'viewer' },
    });
    expect(demoted.body.role).toBe('viewer');
    expect((await admin.client.call('removeMember', { params: { memberId: invited.body.id } })).status).toBe(
      204,
    );

    const secondOwner = await owner.client.call('inviteMember', { body: { email: email(), role: 'owner' } });
    expect(secondOwner.status).toBe(201);
    const promoted = await owner.client.call('updateMember', {
      params: { memberId: admin.member.id },
      body: { role: 'owner' },
    });
    expect(promoted.body.role).toBe('owner');
  });

  test('developers and viewers cannot invite, change or remove members (403) and nothing changes', async () => {
    const owner = await portal.signUp();
    const dev = await joinAs(portal, owner, 'developer');
    const viewer = await joinAs(portal, owner, 'viewer');
    const before = await memberCount(owner);
    for (const session of [dev, viewer]) {
      const calls = [
        session.client.call('inviteMember', { body: { email: email(), role: 'viewer' } }),
        session.client.call('updateMember', {
          params: { memberId: session.member.id },
          body: { role: 'admin' },
        }),
        session.client.call('removeMember', { params: { memberId: owner.member.id } }),
      ];
      for (const response of await Promise.all(calls)) {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('forbidden');
      }
    }
    expect(await memberCount(owner)).toBe(before);
    expect((await dev.client.call('getMe')).body.member.role).toBe('developer');
  });

  test('the last owner can be neither demoted nor removed (409); with a second owner both work', async () => {
    const owner = await portal.signUp();
    const demote = await owner.client.call('updateMember', {
      params: { memberId: owner.member.id },
      body: { role: 'admin' },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('conflict');
    const remove = await owner.client.call('removeMember', { params: { memberId: owner.member.id } });
    expect(remove.status).toBe(409);

    const second = await joinAs(portal, owner, 'owner');
    const demoted = await second.client.call('updateMember', {
      params: { memberId: owner.member.id },
      body: { role: 'admin' },
    });
    expect(demoted.body.role).toBe('admin');
    const lastAgain = await second.client.call('removeMember', { params: { memberId: second.member.id } });
    expect(lastAgain.status).toBe(409);
    expect((await second.client.call('removeMember', { params: { memberId: owner.member.id } })).status).toBe(
      204,
    );
  });

  test("a role change applies at once to the member's sessions and tokens", async () => {
    const owner = await portal.signUp();
    const dev = await joinAs(portal, owner, 'developer');
    const token = await personalToken(dev);
    const bearer = portal.withToken(token.token);
    expect((await bearer.call('inviteMember', { body: { email: email(), role: 'viewer' } })).status).toBe(
      403,
    );
    await owner.client.call('updateMember', { params: { memberId: dev.member.id }, body: { role: 'admin' } });
    expect((await bearer.call('getMe')).body.member.role).toBe('admin');
    expect((await bearer.call('inviteMember', { body: { email: email(), role: 'viewer' } })).status).toBe(
      201,
    );
    expect((await dev.client.call('inviteMember', { body: { email: email(), role: 'viewer' } })).status).toBe(
      201,
    );
  });

  test('removing a member ends its sessions and deletes its personal tokens at once', async () => {
    const owner = await portal.signUp();
    const dev = await joinAs(portal, owner, 'developer');
    const token = await personalToken(dev);
    expect((await portal.withToken(token.token).call('getMe')).status).toBe(200);
    expect((await owner.client.call('removeMember', { params: { memberId: dev.member.id } })).status).toBe(
      204,
    );
    expect((await dev.client.call('getMe')).status).toBe(401);
    expect((await portal.withToken(token.token).call('getMe')).status).toBe(401);
    expect(
      (await portal.anonymous.call('login', { body: { email: dev.member.email, password: TEST_PASSWORD } }))
        .status,
    ).toBe(401);
    const rows = await portal.deps.db
      .selectFrom('personal_tokens')
      .select('id')
      .where('member_id', '=', dev.member.id)
      .execute();
    expect(rows).toEqual([]);
    expect((await events(owner, 'member.removed'))[0]!.details).toMatchObject({ tokensRevoked: 1 });
  });

  test('a withdrawn invitation can no longer be accepted', async () => {
    const owner = await portal.signUp();
    const address = email();
    const invited = await owner.client.call('inviteMember', { body: { email: address, role: 'viewer' } });
    await owner.client.call('removeMember', { params: { memberId: invited.body.id } });
    const accept = await portal.anonymous.call('acceptInvitation', {
      body: { token: invitationTokenTo(portal, address), name: 'Wang Fang', password: TEST_PASSWORD },
    });
    expect(accept.status).toBe(401);
  });

  test('personal tokens: platform:write manages members, platform:read only reads (403 insufficient_scope)', async () => {
    const owner = await portal.signUp();
    const reader = portal.withToken((await personalToken(owner, ['platform:read'])).token);
    const writer = portal.withToken((await personalToken(owner, ['platform:write'])).token);
    expect((await reader.call('listMembers')).status).toBe(200);
    const refused = await reader.call('inviteMember', { body: { email: email(), role: 'viewer' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    const invited = await writer.call('inviteMember', { body: { email: email(), role: 'viewer' } });
    expect(invited.status).toBe(201);
    const [event] = await events(owner, 'member.invited');
    expect(event!.actor.personalTokenId).toMatch(/^pat_/);
  });

  test("changes need the session's CSRF token; a suspended partner can read its members but not change them", async () => {
    const owner = await portal.signUp();
    const noCsrf = await portal.anonymous.call('inviteMember', {
      headers: { cookie: owner.cookie },
      body: { email: email(), role: 'viewer' },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf_failed');
    const dev = await owner.client.call('inviteMember', { body: { email: email(), role: 'developer' } });
    await suspend(portal, owner);
    expect((await owner.client.call('listMembers')).status).toBe(200);
    expect((await owner.client.call('getMember', { params: { memberId: dev.body.id } })).status).toBe(200);
    const changes = await Promise.all([
      owner.client.call('inviteMember', { body: { email: email(), role: 'viewer' } }),
      owner.client.call('updateMember', { params: { memberId: dev.body.id }, body: { role: 'viewer' } }),
      owner.client.call('removeMember', { params: { memberId: dev.body.id } }),
    ]);
    expect(changes.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(await memberCount(owner)).toBe(2);
  });

  test('an invitation cannot be accepted while the partner is suspended (403); it stays pending and works after', async () => {
    const owner = await portal.signUp();
    const address = email();
    await owner.client.call('inviteMember', { body: { email: address, role: 'developer' } });
    const token = invitationTokenTo(portal, address);
    await suspend(portal, owner);
    const body = { token, name: 'Zhang Min', password: TEST_PASSWORD };
    const refused = await portal.anonymous.call('acceptInvitation', { body });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect(refused.headers.get('set-cookie')).toBeNull();
    const listed = await owner.client.call('listMembers');
    expect(listed.body.data.find((m: { email: string }) => m.email === address).status).toBe('invited');
    await portal.operator.call('operatorReinstatePartner', { params: { partnerId: owner.partner.id } });
    expect((await portal.anonymous.call('acceptInvitation', { body })).status).toBe(200);
  });

  test('inviteMember and updateMember refuse bad input and fields a caller may not set (400)', async () => {
    const owner = await portal.signUp();
    const dev = await joinAs(portal, owner, 'developer');
    await expectBadInputRejected(owner.client, {
      operationId: 'inviteMember',
      validBody: { email: email(), role: 'viewer' },
      wrongType: { pointer: '/role', value: 'superuser' },
      missing: '/email',
      count: () => memberCount(owner),
    });
    await expectBadInputRejected(owner.client, {
      operationId: 'updateMember',
      params: { memberId: dev.member.id },
      validBody: { role: 'viewer' },
      wrongType: { pointer: '/role', value: 7 },
      missing: '/role',
      count: async () => (await owner.client.call('getMember', { params: { memberId: dev.member.id } })).body,
    });
    const massAssigned = [
      { email: email(), role: 'viewer', status: 'active' },
      { email: email(), role: 'viewer', partnerId: 'prt_01JDQ7X3S4T1V9KX2M5Q8W0PRT' },
      { email: email(), role: 'viewer', name: 'Mallory' },
    ];
    for (const body of massAssigned) {
      const response = await owner.client.call('inviteMember', { body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    for (const body of [
      { role: 'viewer', status: 'invited' },
      { role: 'viewer', email: 'x@jadepharm.example' },
    ]) {
      const response = await owner.client.call('updateMember', { params: { memberId: dev.member.id }, body });
      expect(response.status).toBe(400);
    }
    expect(
      (await owner.client.call('getMember', { params: { memberId: dev.member.id } })).body,
    ).toMatchObject({
      role: 'developer',
      email: dev.member.email,
    });
    expect(
      (await owner.client.call('inviteMember', { body: { email: 'not-an-email', role: 'viewer' } })).status,
    ).toBe(400);
  });
});
