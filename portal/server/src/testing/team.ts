// Test helpers that build a partner's team through the API itself: invite a member with a role (the invitation
// email is read from the captured mail), accept it, and mint personal tokens — as a person and a script would.
import { randomBytes } from 'node:crypto';
import { invitationTokenIn } from '../mail/invitation-email';
import { TEST_PASSWORD, type MemberSession, type TestPortal } from './portal-harness';

export type TeamRole = 'owner' | 'admin' | 'developer' | 'viewer';

/** Invites `role` into the inviter's partner and signs the new member in. */
export async function addMember(
  portal: TestPortal,
  inviter: MemberSession,
  role: TeamRole,
): Promise<MemberSession> {
  const email = `${role}.${randomBytes(4).toString('hex')}@jadepharm.example`;
  const invited = await inviter.client.call('inviteMember', { body: { email, role } });
  if (invited.status !== 201) throw new Error(`inviteMember answered ${invited.status}: ${invited.text}`);
  const message = [...portal.mail].reverse().find((m) => m.to === email);
  const token = message && invitationTokenIn(message);
  if (!token) throw new Error(`no invitation email with a token was sent to ${email}`);
  const accepted = await portal.anonymous.call('acceptInvitation', {
    body: { token, name: `A ${role}`, password: TEST_PASSWORD },
  });
  if (accepted.status !== 200)
    throw new Error(`acceptInvitation answered ${accepted.status}: ${accepted.text}`);
  return portal.login(email);
}

/** A personal access token of the member with `scopes`; returns the full token (shown once). */
export async function personalToken(
  member: MemberSession,
  scopes: Array<'platform:read' | 'platform:write'>,
): Promise<string> {
  const created = await member.client.call('createPersonalToken', {
    body: { name: `script ${randomBytes(3).toString('hex')}`, scopes },
  });
  if (created.status !== 201)
    throw new Error(`createPersonalToken answered ${created.status}: ${created.text}`);
  return created.body.token as string;
}
