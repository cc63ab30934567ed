// Set-up for the app and credential tests: members of other roles (invited and joined through the store, then
// signed in through the API), a live app approved by the operator, and a gateway-like API key verifier that reads
// the portal's store and listens to the portal's invalidations, to check what a change does to a key in use.
import { storedDigest } from '../../../../keys/src/domain/key-digest';
import { generateInvitationToken } from '../../../../keys/src/domain/key-format';
import type { KeyRecord } from '../../../../keys/src/domain/key-verdict';
import { findApiKeyForVerification } from '../../../../keys/src/store/api-key-lookup';
import { reviewApp } from '../../../../keys/src/store/apps';
import { SYSTEM_CONTEXT } from '../../../../keys/src/store/audit-events';
import { acceptInvitation, inviteMember } from '../../../../keys/src/store/member-invitations';
import type { Role } from '../../../../keys/src/store/members';
import { VerificationCache } from '../../../../keys/src/verify/verification-cache';
import { createApiKeyVerifier, type ApiKeyVerifier } from '../../../../keys/src/verify/verify-api-key';
import { TEST_PASSWORD, type MemberSession, type TestPortal } from './portal-harness';

let invited = 0;

/** A member of `owner`'s partner with `role`, signed in. */
export async function memberWithRole(
  portal: TestPortal,
  owner: MemberSession,
  role: Exclude<Role, 'owner'>,
): Promise<MemberSession> {
  invited += 1;
  const email = `${role}.${invited}.${owner.member.email}`;
  const token = generateInvitationToken();
  const as = {
    ...SYSTEM_CONTEXT,
    actor: {
      type: 'member' as const,
      memberId: owner.member.id,
      email: owner.member.email,
      personalTokenId: null,
    },
  };
  await inviteMember(
    portal.deps,
    { partnerId: owner.partner.id },
    { email, role, invitation: storedDigest(portal.deps.peppers, token.secret) },
    as,
  );
  const accepted = await acceptInvitation(
    portal.deps,
    { token: token.secret, name: `A ${role}`, password: TEST_PASSWORD },
    { requestId: null, ip: null, userAgent: null },
  );
  if (accepted.outcome !== 'accepted') throw new Error(`invitation not accepted: ${accepted.outcome}`);
  return portal.login(email);
}

/** Creates a live app through the API and has the operator approve it (through the store). */
export async function approvedLiveApp(
  portal: TestPortal,
  owner: MemberSession,
  scopes: string[] = ['crm:read', 'crm:write'],
): Promise<any> {
  const created = await owner.client.call('createApp', {
    body: { name: `Live ${Math.random().toString(36).slice(2)}`, environment: 'live', scopes },
  });
  if (created.status !== 201) throw new Error(`createApp answered ${created.status}: ${created.text}`);
  const operator = { ...SYSTEM_CONTEXT, actor: { ...SYSTEM_CONTEXT.actor, type: 'operator' as const } };
  return reviewApp(portal.deps, created.body.id, { action: 'approve' }, operator);
}

/**
 * What a gateway process runs: the format check, a cache (one minute, as in production) that the portal's
 * invalidations reach, and the one-query store lookup. The outcome of `verify(key)` is `valid`, `revoked`,
 * `expired`, `not_found` …
 */
export function gatewayVerifier(portal: TestPortal): { verify: ApiKeyVerifier; close(): void } {
  const cache = new VerificationCache<KeyRecord | null>({
    clock: portal.clock,
    ttlMs: 60_000,
    negativeTtlMs: 2_000,
    maxEntries: 1_000,
  }).attach(portal.deps.invalidations);
  const verify = createApiKeyVerifier({
    lookup: (digests) => findApiKeyForVerification(portal.deps, digests),
    peppers: portal.deps.peppers,
    cache,
    clock: portal.clock,
  });
  return { verify, close: () => cache.close() };
}
