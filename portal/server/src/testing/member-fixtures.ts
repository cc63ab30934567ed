// Test set-up for the member, partner, plan and personal-token suites: the token of an invitation email (the only
// place it goes), members of a chosen role who joined through the API, and personal tokens made through the API.
import { changePartnerStatus } from '../../../../keys/src/store/partners';
import { invitationTokenIn } from '../mail/invitation-email';
import { TEST_PASSWORD, type MemberSession, type TestPortal } from './portal-harness';

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
  role: 'owner' | 'admin' | 'developer' | 'viewer',
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

/** A personal access token of the signed-in member, made through the API. */
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
    {
      actor: { type: 'operator', memberId: null, email: null, personalTokenId: null },
      requestId: null,
      ip: null,
      userAgent: null,
    },
  );
}
