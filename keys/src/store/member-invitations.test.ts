// Invitations on both engines: a single-use token valid 7 days, shown once and stored as a digest; accepting sets
// the name and password and activates the member, and of two concurrent accepts exactly one wins.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateInvitationToken } from '../domain/key-format';
import { verifyPassword, type ScryptParams } from '../domain/password';
import { listAuditEvents } from './audit-events';
import {
  acceptInvitation,
  inviteMember,
  MAX_MEMBERS_PER_PARTNER,
  reinviteMember,
  type InvitationDeps,
} from './member-invitations';
import { authenticateMember } from './member-login';
import type { Role } from './members';
import { openKeysStore, signUp, type TestDeps } from './test-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const CHEAP: ScryptParams = { N: 2 ** 10, r: 8, p: 1, saltBytes: 16, hashBytes: 32 };
const PASSWORD = 'a-long-and-memorable-passphrase';
const CLIENT = { requestId: 'req_accept', ip: '203.0.113.20', userAgent: 'Safari' };

describeEachStore('member invitations', (store) => {
  let deps: InvitationDeps & { clock: TestDeps['clock'] };
  let n = 0;
  beforeAll(async () => {
    const base = await openKeysStore(store, 'invitations');
    deps = { ...base, peppers: createPepperRing([{ id: 'p1', secret: randomBytes(32) }]), scrypt: CHEAP };
  });

  async function invite(role: Role = 'developer', tenant?: Awaited<ReturnType<typeof signUp>>) {
    const t = tenant ?? (await signUp(deps));
    n += 1;
    const email = `wang.fang.${n}.${randomBytes(2).toString('hex')}@jadepharm.example`;
    const token = generateInvitationToken().secret;
    const member = await inviteMember(
      deps,
      { partnerId: t.partner.id },
      { email, role, invitation: storedDigest(deps.peppers, token) },
      t.as,
    );
    return { ...t, email, token, member, scope: { partnerId: t.partner.id } };
  }

  test('an invited member has no name or password, and an invitation that lapses in 7 days', async () => {
    const { member, email, owner, partner } = await invite('viewer');
    expect(member).toMatchObject({ email, name: null, role: 'viewer', status: 'invited', lastLoginAt: null });
    expect(member.invitationExpiresAt).toBe(new Date(deps.clock.now().getTime() + 7 * DAY).toISOString());
    const [event] = (
      await listAuditEvents(
        deps,
        { partnerId: partner.id },
        { action: 'member.invited' },
        pageRequest({}, 'aud'),
      )
    ).data;
    expect(event).toMatchObject({
      actor: { memberId: owner.id },
      target: { type: 'member', id: member.id },
      details: { email, role: 'viewer' },
    });
  });

  test('accepting activates the member with its name and password; it can then sign in', async () => {
    const { token, member, email, partner } = await invite();
    const accepted = await acceptInvitation(deps, { token, name: 'Wang Fang', password: PASSWORD }, CLIENT);
    expect(accepted).toMatchObject({
      outcome: 'accepted',
      member: { id: member.id, name: 'Wang Fang', status: 'active', invitationExpiresAt: null },
      partner: { id: partner.id },
    });
    const row = await deps.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row.invitation_digest).toBeNull();
    expect(await verifyPassword(row.password_hash!, PASSWORD)).toBe(true);
    expect(await authenticateMember(deps, { email, password: PASSWORD }, CHEAP)).toMatchObject({
      outcome: 'authenticated',
    });
    const [joined] = (
      await listAuditEvents(
        deps,
        { partnerId: partner.id },
        { action: 'member.joined' },
        pageRequest({}, 'aud'),
      )
    ).data;
    expect(joined).toMatchObject({ actor: { memberId: member.id }, ip: CLIENT.ip });
  });

  test('a token works once', async () => {
    const { token } = await invite();
    expect(await acceptInvitation(deps, { token, name: 'A', password: PASSWORD }, CLIENT)).toMatchObject({
      outcome: 'accepted',
    });
    expect(await acceptInvitation(deps, { token, name: 'B', password: PASSWORD }, CLIENT)).toEqual({
      outcome: 'not_found',
    });
  });

  test('of two concurrent accepts of one token exactly one wins', async () => {
    const { token, member } = await invite();
    const results = await Promise.all(
      ['First', 'Second', 'Third'].map((name) =>
        acceptInvitation(deps, { token, name, password: PASSWORD }, CLIENT),
      ),
    );
    const winners = results.filter((r) => r.outcome === 'accepted');
    expect(winners).toHaveLength(1);
    const row = await deps.db
      .selectFrom('members')
      .select(['name', 'status'])
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: (winners[0] as { member: { name: string } }).member.name, status: 'active' });
  });

  test('an invitation lapses after 7 days; a malformed or unknown token is told apart only in the outcome', async () => {
    const { token } = await invite();
    deps.clock.advance(7 * DAY);
    expect(await acceptInvitation(deps, { token, name: 'Late', password: PASSWORD }, CLIENT)).toEqual({
      outcome: 'expired',
    });
    expect(
      await acceptInvitation(
        deps,
        { token: `${token.slice(0, -1)}x`, name: 'A', password: PASSWORD },
        CLIENT,
      ),
    ).toEqual({
      outcome: 'malformed',
    });
    expect(
      await acceptInvitation(
        deps,
        { token: generateInvitationToken().secret, name: 'A', password: PASSWORD },
        CLIENT,
      ),
    ).toEqual({
      outcome: 'not_found',
    });
  });

  test('a password the policy refuses is a 422 on /password, and the invitation stays pending', async () => {
    const { token, email, member } = await invite();
    for (const password of ['short', email, 'password1234']) {
      await expect(acceptInvitation(deps, { token, name: 'A', password }, CLIENT)).rejects.toMatchObject({
        code: 'unprocessable',
        options: { errors: [expect.objectContaining({ pointer: '/password' })] },
      });
    }
    const row = await deps.db
      .selectFrom('members')
      .select('status')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('invited');
  });

  test('re-inviting replaces the token and restarts the 7 days; a member who joined cannot be re-invited', async () => {
    const first = await invite();
    deps.clock.advance(6 * DAY);
    const token = generateInvitationToken().secret;
    const again = await reinviteMember(
      deps,
      first.scope,
      first.member.id,
      storedDigest(deps.peppers, token),
      first.as,
    );
    expect(again.invitationExpiresAt).toBe(new Date(deps.clock.now().getTime() + 7 * DAY).toISOString());
    expect(
      await acceptInvitation(deps, { token: first.token, name: 'A', password: PASSWORD }, CLIENT),
    ).toEqual({ outcome: 'not_found' });
    deps.clock.advance(2 * DAY);
    expect(await acceptInvitation(deps, { token, name: 'A', password: PASSWORD }, CLIENT)).toMatchObject({
      outcome: 'accepted',
    });
    await expect(
      reinviteMember(
        deps,
        first.scope,
        first.member.id,
        storedDigest(deps.peppers, generateInvitationToken().secret),
        first.as,
      ),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
    const stranger = await signUp(deps);
    await expect(
      reinviteMember(
        deps,
        { partnerId: stranger.partner.id },
        first.member.id,
        storedDigest(deps.peppers, token),
        stranger.as,
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  test('an address that belongs to any member, in any case, is a 409', async () => {
    const { email } = await invite();
    const other = await signUp(deps);
    await expect(
      inviteMember(
        deps,
        { partnerId: other.partner.id },
        {
          email: email.toUpperCase(),
          role: 'viewer',
          invitation: storedDigest(deps.peppers, generateInvitationToken().secret),
        },
        other.as,
      ),
    ).rejects.toMatchObject({
      code: 'already_exists',
      options: { errors: [{ pointer: '/email', detail: 'already in use' }] },
    });
  });

  test(`a partner has at most ${MAX_MEMBERS_PER_PARTNER} members, invited ones included`, async () => {
    const tenant = await signUp(deps);
    for (let i = 1; i < MAX_MEMBERS_PER_PARTNER; i++) await invite('viewer', tenant);
    await expect(invite('viewer', tenant)).rejects.toMatchObject({ code: 'conflict' });
  });
});
