// Role changes and removals on both engines: a partner always keeps an active owner, even when two owners demote
// each other at the same moment; a removed member's sessions and personal tokens stop working in the same step.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateInvitationToken, generatePersonalToken } from '../domain/key-format';
import { listAuditEvents } from './audit-events';
import { changeMemberRole, removeMember } from './member-changes';
import { acceptInvitation, inviteMember } from './member-invitations';
import { getMember, type Role } from './members';
import { createPersonalToken, verifyPersonalToken } from './personal-tokens';
import { createSession, findSessionByToken } from './sessions';
import { memberContext, openKeysStore, signUp, type TestDeps } from './test-fixtures';

const CLIENT = { requestId: null, ip: null, userAgent: null };

describeEachStore('member role changes and removal', (store) => {
  let deps: TestDeps & { peppers: ReturnType<typeof createPepperRing> };
  beforeAll(async () => {
    const base = await openKeysStore(store, 'member_changes');
    deps = { ...base, peppers: createPepperRing([{ id: 'p1', secret: randomBytes(32) }]) };
  });

  /** An active member who joined through an invitation. */
  async function join(tenant: Awaited<ReturnType<typeof signUp>>, role: Role) {
    const token = generateInvitationToken().secret;
    const email = `m.${randomBytes(4).toString('hex')}@jadepharm.example`;
    await inviteMember(
      deps,
      { partnerId: tenant.partner.id },
      { email, role, invitation: storedDigest(deps.peppers, token) },
      tenant.as,
    );
    const accepted = await acceptInvitation(
      { ...deps, scrypt: { N: 2 ** 10, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } },
      { token, name: 'Chen Jie', password: 'a-long-and-memorable-passphrase' },
      CLIENT,
    );
    if (accepted.outcome !== 'accepted') throw new Error(accepted.outcome);
    return accepted.member;
  }

  test('a role change is recorded with both roles; the same role again records nothing', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const dev = await join(tenant, 'developer');
    expect(await changeMemberRole(deps, scope, dev.id, 'admin', tenant.as)).toMatchObject({
      id: dev.id,
      role: 'admin',
    });
    await changeMemberRole(deps, scope, dev.id, 'admin', tenant.as);
    const events = await listAuditEvents(
      deps,
      scope,
      { action: 'member.role_changed' },
      pageRequest({}, 'aud'),
    );
    expect(events.data.map((e) => e.details)).toEqual([
      expect.objectContaining({ from: 'developer', to: 'admin' }),
    ]);
  });

  test('the guard sees the member as locked: a promotion committed first makes an admin-only change refuse', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const target = await join(tenant, 'developer');
    const adminRule = (member: { role: Role }) => {
      if (member.role === 'owner') throw new Error('an admin cannot change an owner');
    };
    // The owner's promotion and the admin's demotion race; whichever order they commit in, an owner promoted
    // first is never demoted or removed by the admin's change.
    const results = await Promise.allSettled([
      changeMemberRole(deps, scope, target.id, 'owner', tenant.as),
      changeMemberRole(deps, scope, target.id, 'viewer', tenant.as, adminRule),
    ]);
    expect(results[0].status).toBe('fulfilled');
    // Either the demotion ran first (then the promotion) or it was refused: the member ends an owner both ways.
    expect((await getMember(deps, scope, target.id)).role).toBe('owner');
    await expect(removeMember(deps, scope, target.id, tenant.as, adminRule)).rejects.toThrow(
      'an admin cannot change an owner',
    );
    expect((await getMember(deps, scope, target.id)).role).toBe('owner');
  });

  test('the last owner can be neither demoted nor removed (409); with a second owner both can', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    await expect(changeMemberRole(deps, scope, tenant.owner.id, 'admin', tenant.as)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(removeMember(deps, scope, tenant.owner.id, tenant.as)).rejects.toMatchObject({
      code: 'conflict',
    });
    // An invited owner has not joined and does not count.
    await inviteMember(
      deps,
      scope,
      {
        email: `o.${randomBytes(4).toString('hex')}@x.example`,
        role: 'owner',
        invitation: storedDigest(deps.peppers, generateInvitationToken().secret),
      },
      tenant.as,
    );
    await expect(changeMemberRole(deps, scope, tenant.owner.id, 'viewer', tenant.as)).rejects.toMatchObject({
      code: 'conflict',
    });
    const second = await join(tenant, 'owner');
    expect(await changeMemberRole(deps, scope, tenant.owner.id, 'viewer', tenant.as)).toMatchObject({
      role: 'viewer',
    });
    await expect(removeMember(deps, scope, second.id, memberContext(second))).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  test('two owners demoting each other at once: exactly one succeeds and an owner remains', async () => {
    for (let round = 0; round < 5; round++) {
      const tenant = await signUp(deps);
      const scope = { partnerId: tenant.partner.id };
      const second = await join(tenant, 'owner');
      const results = await Promise.allSettled([
        changeMemberRole(deps, scope, tenant.owner.id, 'admin', memberContext(second)),
        changeMemberRole(deps, scope, second.id, 'admin', tenant.as),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
      const owners = await deps.db
        .selectFrom('members')
        .select('id')
        .where('partner_id', '=', scope.partnerId)
        .where('role', '=', 'owner')
        .execute();
      expect(owners).toHaveLength(1);
    }
  });

  test('a demotion and a removal of the last two owners at once leave an owner too', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const second = await join(tenant, 'owner');
    await Promise.allSettled([
      removeMember(deps, scope, tenant.owner.id, memberContext(second)),
      changeMemberRole(deps, scope, second.id, 'developer', tenant.as),
    ]);
    const owners = await deps.db
      .selectFrom('members')
      .select('id')
      .where('partner_id', '=', scope.partnerId)
      .where('role', '=', 'owner')
      .execute();
    expect(owners).toHaveLength(1);
  });

  test("removing a member ends its sessions and its personal tokens at once, and leaves others' alone", async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const dev = await join(tenant, 'developer');
    const session = await createSession(deps, dev, CLIENT);
    const ownerSession = await createSession(deps, tenant.owner, CLIENT);
    const generated = generatePersonalToken();
    await createPersonalToken(
      deps,
      dev,
      {
        name: 'ci',
        scopes: ['platform:read'],
        secret: {
          ...storedDigest(deps.peppers, generated.secret),
          prefix: generated.prefix,
          last4: generated.last4,
        },
      },
      memberContext(dev),
    );
    expect(await verifyPersonalToken(deps, generated.secret)).toMatchObject({ outcome: 'valid' });

    const removed = await removeMember(deps, scope, dev.id, tenant.as);
    expect(removed).toMatchObject({ member: { id: dev.id }, sessionsEnded: 1, tokensRevoked: 1 });
    expect(await findSessionByToken(deps, session.token)).toBeUndefined();
    expect(await verifyPersonalToken(deps, generated.secret)).toEqual({ outcome: 'not_found' });
    expect(await findSessionByToken(deps, ownerSession.token)).toBeDefined();
    const [event] = (await listAuditEvents(deps, scope, { action: 'member.removed' }, pageRequest({}, 'aud')))
      .data;
    expect(event).toMatchObject({ target: { id: dev.id }, details: { email: dev.email, role: 'developer' } });
    await expect(removeMember(deps, scope, dev.id, tenant.as)).rejects.toMatchObject({ code: 'not_found' });
  });

  test('removing an invited member withdraws the invitation: its token no longer works', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    const token = generateInvitationToken().secret;
    const invited = await inviteMember(
      deps,
      scope,
      {
        email: `i.${randomBytes(4).toString('hex')}@x.example`,
        role: 'viewer',
        invitation: storedDigest(deps.peppers, token),
      },
      tenant.as,
    );
    await removeMember(deps, scope, invited.id, tenant.as);
    expect(
      await acceptInvitation(
        deps,
        { token, name: 'Late', password: 'a-long-and-memorable-passphrase' },
        CLIENT,
      ),
    ).toEqual({
      outcome: 'not_found',
    });
  });

  test("another partner's member is not found, for a role change and for a removal", async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    const bDev = await join(b, 'developer');
    await expect(
      changeMemberRole(deps, { partnerId: a.partner.id }, bDev.id, 'admin', a.as),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(removeMember(deps, { partnerId: a.partner.id }, bDev.id, a.as)).rejects.toMatchObject({
      code: 'not_found',
    });
    const row = await deps.db
      .selectFrom('members')
      .select('role')
      .where('id', '=', bDev.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('developer');
  });
});
