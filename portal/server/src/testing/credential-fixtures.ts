// Set-up for the credential, usage and audit suites, made through the store (as the app and member operations
// will make them) so these suites do not depend on those operations: apps in either environment (a live one
// approved by the operator) and members of every role, signed in.
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../../../internal/src/http/locals';
import { storedDigest } from '../../../../keys/src/domain/key-digest';
import { generateInvitationToken } from '../../../../keys/src/domain/key-format';
import { createApp, reviewApp, type App } from '../../../../keys/src/store/apps';
import type { AuditContext } from '../../../../keys/src/store/audit-events';
import { acceptInvitation, inviteMember } from '../../../../keys/src/store/member-invitations';
import type { Role } from '../../../../keys/src/store/members';
import { TEST_PASSWORD, type MemberSession, type TestPortal } from './portal-harness';

/** The audit context of a signed-in member acting through the store directly. */
export function contextOf(session: MemberSession): AuditContext {
  return {
    actor: {
      type: 'member',
      memberId: session.member.id,
      email: session.member.email,
      personalTokenId: null,
    },
    requestId: 'req_fixture',
    ip: '203.0.113.7',
    userAgent: 'jest',
  };
}

export const OPERATOR_CONTEXT: AuditContext = {
  actor: { type: 'operator', memberId: null, email: null, personalTokenId: null },
  requestId: 'req_fixture_operator',
  ip: '198.51.100.1',
  userAgent: 'jest',
};

/** An app of the session's partner, created by its member; a live app is approved, so it is `active`. */
export async function appOf(
  portal: TestPortal,
  session: MemberSession,
  environment: Environment = 'test',
  scopes: string[] = ['crm:read', 'crm:write', 'orders:read'],
): Promise<App> {
  const app = await createApp(
    portal.deps,
    { partnerId: session.partner.id },
    { name: `Clinic sync ${randomBytes(4).toString('hex')}`, environment, scopes },
    contextOf(session),
  );
  return environment === 'live'
    ? reviewApp(portal.deps, app.id, { action: 'approve' }, OPERATOR_CONTEXT)
    : app;
}

/** A live app still awaiting the operator's approval (it cannot hold credentials). */
export async function pendingLiveAppOf(portal: TestPortal, session: MemberSession): Promise<App> {
  return createApp(
    portal.deps,
    { partnerId: session.partner.id },
    { name: `Pending ${randomBytes(4).toString('hex')}`, environment: 'live', scopes: ['crm:read'] },
    contextOf(session),
  );
}

/** A member of the owner's partner with `role`, invited and joined through the store, then signed in. */
export async function memberWithRole(
  portal: TestPortal,
  owner: MemberSession,
  role: Role,
): Promise<MemberSession> {
  const token = generateInvitationToken();
  const email = `${role}.${randomBytes(4).toString('hex')}@jadepharm.example`;
  await inviteMember(
    portal.deps,
    { partnerId: owner.partner.id },
    { email, role, invitation: storedDigest(portal.deps.peppers, token.secret) },
    contextOf(owner),
  );
  const accepted = await acceptInvitation(
    { ...portal.deps, ...(portal.deps.scrypt ? { scrypt: portal.deps.scrypt } : {}) },
    { token: token.secret, name: `A ${role}`, password: TEST_PASSWORD },
    { requestId: null, ip: null, userAgent: null },
  );
  if (accepted.outcome !== 'accepted') throw new Error(`invitation not accepted: ${accepted.outcome}`);
  return portal.login(email);
}

/** The members of one partner, one per role, for role-rule tests. */
export interface Team {
  owner: MemberSession;
  admin: MemberSession;
  developer: MemberSession;
  viewer: MemberSession;
}

export async function teamOf(portal: TestPortal): Promise<Team> {
  const owner = await portal.signUp();
  const [admin, developer, viewer] = await Promise.all([
    memberWithRole(portal, owner, 'admin'),
    memberWithRole(portal, owner, 'developer'),
    memberWithRole(portal, owner, 'viewer'),
  ]);
  return { owner, admin, developer, viewer };
}
