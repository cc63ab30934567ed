// Invitations: a member in status `invited` holding the keyed digest of a single-use `pti_…` token, valid 7 days.
// Accepting sets the name and password and activates the member with one conditional UPDATE that also clears the
// digest, so of two concurrent accepts exactly one wins and a token is never used twice.
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../internal/src/store/constraint-errors';
import { candidateDigests, type KeyDigest } from '../domain/key-digest';
import { parseSecret } from '../domain/key-format';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, type ScryptParams } from '../domain/password';
import {
  checkPasswordPolicy,
  PASSWORD_PROBLEM_DETAILS,
  type PasswordContext,
} from '../domain/password-policy';
import type { SecretRing } from '../domain/secret-ring';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { lockPartner } from './member-changes';
import { normalizeEmail, toMember, type Member, type Role } from './members';
import { getPartner, type Partner } from './partners';
import type { MembersTable } from './schema';
import { MEMBERS_EMAIL } from './unique-indexes';

/** The platform spec's limits (inviteMember, acceptInvitation). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_MEMBERS_PER_PARTNER = 100;

export interface MemberInvitation {
  email: string;
  role: Role;
  /**
   * The digest of a fresh `pti_…` token (generateInvitationToken + storedDigest); the token itself goes only into
   * the invitation email. The members table keeps no pepper id for it: lookups try every pepper of the ring, and
   * an invitation lives 7 days, so a retired pepper can leave the ring 7 days after it stopped being current.
   */
  invitation: KeyDigest;
}

/**
 * Invites a person into the partner. The partner's row is locked first, so the 100-member limit (invited members
 * included) holds under concurrency: 409. An address that belongs to any member of the installation: 409
 * `already_exists`. Who may invite whom (only an owner invites an owner) is the caller's check.
 */
export async function inviteMember(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  input: MemberInvitation,
  context: AuditContext,
): Promise<Member> {
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const row: MembersTable = {
    id: deps.newId('mem'),
    partner_id: scope.partnerId,
    email: input.email,
    email_normalized: normalizeEmail(input.email),
    name: null,
    role: input.role,
    status: 'invited',
    password_hash: null,
    invitation_digest: input.invitation.digest,
    invitation_expires_at: new Date(nowDate.getTime() + INVITATION_LIFETIME_MS).toISOString(),
    invited_by: context.actor.memberId,
    last_login_at: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await lockPartner(trx, scope);
      const { n } = await trx
        .selectFrom('members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('partner_id', '=', scope.partnerId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_MEMBERS_PER_PARTNER) {
        throw new ProblemError('conflict', `A partner has at most ${MAX_MEMBERS_PER_PARTNER} members.`);
      }
      await trx.insertInto('members').values(row).execute();
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'member.invited',
        target: { type: 'member', id: row.id },
        details: { email: row.email, role: row.role, invitationExpiresAt: row.invitation_expires_at },
      });
    });
  } catch (error) {
    if (violatedUniqueIndex(error, MEMBERS_EMAIL)) {
      throw new ProblemError('already_exists', 'This email address already belongs to a member.', {
        errors: [{ pointer: '/email', detail: 'already in use' }],
        cause: error,
      });
    }
    throw error;
  }
  return toMember(row);
}

/**
 * Sends a pending invitation again with a new token and a new 7-day validity; the previous token stops working.
 * A member who already joined is a 409 (`invalid_transition`). Recorded as `member.invited` with `reinvited`.
 */
export async function reinviteMember(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  memberId: string,
  invitation: KeyDigest,
  context: AuditContext,
): Promise<Member> {
  const nowDate = deps.clock.now();
  const expiresAt = new Date(nowDate.getTime() + INVITATION_LIFETIME_MS).toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('members')
      .set({
        invitation_digest: invitation.digest,
        invitation_expires_at: expiresAt,
        updated_at: nowDate.toISOString(),
      })
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', memberId)
      .where('status', '=', 'invited')
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const current = await trx
        .selectFrom('members')
        .select('status')
        .where('partner_id', '=', scope.partnerId)
        .where('id', '=', memberId)
        .executeTakeFirst();
      if (!current) throw notFound('member', memberId);
      throw new ProblemError('invalid_transition', `Member '${memberId}' has already joined.`, {
        extensions: { currentStatus: current.status },
      });
    }
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'member.invited',
      target: { type: 'member', id: memberId },
      details: { email: updated.email, role: updated.role, invitationExpiresAt: expiresAt, reinvited: true },
    });
    return toMember(updated);
  });
}

/** `partner_suspended`: a suspended partner changes nothing, and gaining a member is a change (platform spec). */
export type InvitationFailure = 'malformed' | 'not_found' | 'expired' | 'partner_suspended';

export type InvitationAcceptance =
  { outcome: 'accepted'; member: Member; partner: Partner } | { outcome: InvitationFailure };

export interface AcceptInvitationInput {
  token: unknown;
  name: string;
  password: string;
}

export interface InvitationDeps extends KeysStoreDeps {
  peppers: SecretRing;
  scrypt?: ScryptParams;
  /** Extra refused passwords (a breached-password list), as checkPasswordPolicy takes them. */
  passwordDenylist?: PasswordContext['denylist'];
}

/**
 * Accepts an invitation. A token that is malformed (no I/O), unknown, already used or expired is an outcome (the
 * portal answers 401 alike). A password the policy refuses (too short, the email, a breached one) is a 422 naming
 * `/password`. Then one conditional UPDATE activates the member only if the token is still pending and unexpired:
 * concurrent accepts of one token cannot both win. The caller then starts a session (createSession).
 */
export async function acceptInvitation(
  deps: InvitationDeps,
  input: AcceptInvitationInput,
  client: Omit<AuditContext, 'actor'>,
): Promise<InvitationAcceptance> {
  if (!parseSecret('invitation', input.token).ok) return { outcome: 'malformed' };
  const digests = candidateDigests(deps.peppers, input.token as string).map((d) => d.digest);
  const pending = await deps.db
    .selectFrom('members')
    .innerJoin('partners', 'partners.id', 'members.partner_id')
    .select([
      'members.id',
      'members.email',
      'members.invitation_expires_at',
      'partners.status as partner_status',
    ])
    .where('members.invitation_digest', 'in', digests)
    .where('members.status', '=', 'invited')
    .executeTakeFirst();
  if (!pending) return { outcome: 'not_found' };
  if (!isFuture(pending.invitation_expires_at, deps.clock.now())) return { outcome: 'expired' };
  if (pending.partner_status !== 'active') return { outcome: 'partner_suspended' };

  const problems = checkPasswordPolicy(input.password, {
    email: pending.email,
    ...(deps.passwordDenylist ? { denylist: deps.passwordDenylist } : {}),
  });
  if (problems.length > 0) {
    throw new ProblemError('unprocessable', PASSWORD_PROBLEM_DETAILS[problems[0]!], {
      errors: problems.map((p) => ({ pointer: '/password', detail: PASSWORD_PROBLEM_DETAILS[p] })),
    });
  }
  const passwordHash = await hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT_PARAMS);

  // The clock is read again: hashing took time, and the invitation may have expired meanwhile.
  const now = deps.clock.now().toISOString();
  const accepted = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('members')
      .set({
        name: input.name,
        password_hash: passwordHash,
        status: 'active',
        invitation_digest: null,
        invitation_expires_at: null,
        updated_at: now,
      })
      .where('id', '=', pending.id)
      .where('status', '=', 'invited')
      .where('invitation_digest', 'in', digests)
      .where('invitation_expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await appendAuditEvent(
      trx,
      deps,
      { ...client, actor: { type: 'member', memberId: row.id, email: row.email, personalTokenId: null } },
      {
        partnerId: row.partner_id,
        action: 'member.joined',
        target: { type: 'member', id: row.id },
        details: { email: row.email, role: row.role },
      },
    );
    return row;
  });
  // Lost to a concurrent accept (or a re-invite or removal in between): the token is no longer pending.
  if (!accepted) return { outcome: 'not_found' };
  return {
    outcome: 'accepted',
    member: toMember(accepted),
    partner: await getPartner(deps, accepted.partner_id),
  };
}

function isFuture(at: string | null, now: Date): boolean {
  return at !== null && Date.parse(at) > now.getTime();
}
