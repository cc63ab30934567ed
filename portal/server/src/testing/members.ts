// The people of a partner for the portal tests, made through the management API as a person or a script would:
// members who joined by invitation (its token read from the captured email), a team of every role, personal
// tokens, and the operator's suspension of the partner.
import { changePartnerStatus } from '../../../../keys/src/store/partners';
import { invitationTokenIn } from '../mail/invitation-email';
import { OPERATOR_CONTEXT } from './audit';
import { TEST_PASSWORD, type MemberSession, type TestPortal } from './portal-harness';

export type TeamRole = 'owner' | 'admin' | 'developer' | 'viewer';

/** The token of the last invitation email sent to `email` (the only place the token goes). */
export function invitationTokenTo(portal: TestPortal, email: string): string {
  const message = [...portal.mail].reverse().find((m) => m.to === email);
  const token = message && invitationTokenIn(message);
  if (!token) throw new Error(`no invitation email with a token was sent to ${email}`);
  return token;
}

let joined = 0;

/** A member of `role` in `inviter`'s partner, invited by it, who accepted and signed in. */
export async function joinAs(
  portal: TestPortal,
  inviter: MemberSession,
  role: TeamRole,
): Promise<MemberSession> {
  joined += 1;
  const email = `member.${process.pid}.${joined}.${Math.random().toString(36).slice(2, 8)}@jadepharm.example`;
  const invited = await inviter.client.call('inviteMember', { body: { email, role } });
  if (invited.status !== 201) throw new Error(`inviteMember answered ${invited.status}: ${invited.text}`);
  const accepted = await portal.anonymous.call('acceptInvitation', {
    body: { token: invitationTokenTo(portal, email), name: 'Zhang Min', password: TEST_PASSWORD },
  });
  if (accepted.status !== 200)
    throw new Error(`acceptInvitation answered ${accepted.status}: ${accepted.text}`);
  return portal.login(email);
}

/** The members of one partner, one per role, for role-rule tests. */
export interface Team {
  owner: MemberSession;
  admin: MemberSession;
  developer: MemberSession;
  viewer: MemberSession;
}

/** A new partner's owner and an admin, a developer and a viewer who joined it. */
export async function teamOf(portal: TestPortal): Promise<Team> {
  const owner = await portal.signUp();
  const [admin, developer, viewer] = await Promise.all([
    joinAs(portal, owner, 'admin'),
    joinAs(portal, owner, 'developer'),
    joinAs(portal, owner, 'viewer'),
  ]);
  return { owner, admin, developer, viewer };
}

/** A personal access token of the signed-in member, made through the API: its id and the full token (shown once). */
export async function personalToken(
  session: MemberSession,
  scopes: Array<'platform:read' | 'platform:write'> = ['platform:read', 'platform:write'],
): Promise<{ id: string; token: string }> {
  const created = await session.client.call('createPersonalToken', { body: { name: 'CI', scopes } });
  if (created.status !== 201)
    throw new Error(`createPersonalToken answered ${created.status}: ${created.text}`);
  return { id: created.body.personalToken.id, token: created.body.token };
}

/** Suspends the member's partner as the operator would (the operator operations are tested on their own). */
export async function suspend(portal: TestPortal, session: MemberSession): Promise<void> {
  await changePartnerStatus(
    portal.deps,
    session.partner.id,
    { action: 'suspend', reason: 'unpaid invoices' },
    OPERATOR_CONTEXT,
  );
}
