// Role changes and removals of a partner's members, under the rule that a partner always keeps an active owner
// (platform spec, updateMember and removeMember: 409). Both lock the partner's row first, so concurrent changes
// of one partner's members run one after the other and cannot each leave the other to be the last owner.
import type { Kysely } from 'kysely';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { toMember, type Member, type Role } from './members';
import type { KeysTables, MembersTable } from './schema';
import { endMemberSessions } from './sessions';

type Db = Kysely<KeysTables>;

/**
 * The caller's rule about who it may change (an admin may not touch an owner), applied to the member as read under
 * the partner's lock — so a concurrent promotion cannot slip between the check and the change. Throws to refuse.
 */
export type MemberGuard = (target: Member) => void;
const allowAny: MemberGuard = () => undefined;

/**
 * Changes a member's role; the same role again changes nothing and records nothing. Taking the owner role from
 * the last active owner is a 409. Who may do it (an admin may neither change an owner nor grant `owner`) is the
 * caller's check. Sessions and tokens read the role at each request, so the change applies at once.
 */
export async function changeMemberRole(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  memberId: string,
  role: Role,
  context: AuditContext,
  mayChange: MemberGuard = allowAny,
): Promise<Member> {
  return deps.db.transaction().execute(async (trx) => {
    await lockPartner(trx, scope);
    const target = await memberRow(trx, scope, memberId);
    mayChange(toMember(target));
    if (target.role === role) return toMember(target);
    if (role !== 'owner') await refuseLosingLastOwner(trx, scope, target, 'demoted');
    const updated = await trx
      .updateTable('members')
      .set({ role, updated_at: deps.clock.now().toISOString() })
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', memberId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'member.role_changed',
      target: { type: 'member', id: memberId },
      details: { email: target.email, from: target.role, to: role },
    });
    return toMember(updated);
  });
}

export interface RemovedMember {
  member: Member;
  sessionsEnded: number;
  tokensRevoked: number;
}

/**
 * Removes a member, or withdraws an invitation: its sessions end and its personal tokens are deleted in the same
 * transaction (platform spec, removeMember); the apps and credentials it created stay with the partner, and the
 * audit trail keeps its email. Removing the last active owner is a 409.
 */
export async function removeMember(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  memberId: string,
  context: AuditContext,
  mayRemove: MemberGuard = allowAny,
): Promise<RemovedMember> {
  return deps.db.transaction().execute(async (trx) => {
    await lockPartner(trx, scope);
    const target = await memberRow(trx, scope, memberId);
    mayRemove(toMember(target));
    await refuseLosingLastOwner(trx, scope, target, 'removed');
    const sessionsEnded = await endMemberSessions(
      trx,
      deps,
      scope,
      memberId,
      { reason: 'member_removed' },
      context,
    );
    // Deleted rather than marked revoked: the member row they reference goes too.
    const tokens = await trx
      .deleteFrom('personal_tokens')
      .where('partner_id', '=', scope.partnerId)
      .where('member_id', '=', memberId)
      .returning(['id', 'revoked_at'])
      .execute();
    await trx
      .deleteFrom('members')
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', memberId)
      .execute();
    const tokensRevoked = tokens.filter((t) => t.revoked_at === null).length;
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'member.removed',
      target: { type: 'member', id: memberId },
      details: {
        email: target.email,
        role: target.role,
        status: target.status,
        sessionsEnded,
        tokensRevoked,
      },
    });
    return { member: toMember(target), sessionsEnded, tokensRevoked };
  });
}

/**
 * Locks the partner's row for the rest of the transaction (a no-op UPDATE takes the row lock on PostgreSQL; on
 * SQLite a write first takes the database's write lock, so the transaction never has to upgrade a read lock).
 * Every change to a partner's membership takes it, which serialises them. A missing partner is a 404.
 */
export async function lockPartner(db: Db, scope: PartnerScope): Promise<{ status: string }> {
  const partner = await db
    .updateTable('partners')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', scope.partnerId)
    .returning('status')
    .executeTakeFirst();
  if (!partner) throw notFound('partner', scope.partnerId);
  return partner;
}

async function memberRow(db: Db, scope: PartnerScope, memberId: string): Promise<MembersTable> {
  const row = await db
    .selectFrom('members')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!row) throw notFound('member', memberId);
  return row;
}

/** 409 when `target` is an active owner and no other active owner would remain (runs under lockPartner). */
async function refuseLosingLastOwner(
  db: Db,
  scope: PartnerScope,
  target: MembersTable,
  change: 'demoted' | 'removed',
): Promise<void> {
  if (target.role !== 'owner' || target.status !== 'active') return;
  const other = await db
    .selectFrom('members')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .where('id', '<>', target.id)
    .limit(1)
    .executeTakeFirst();
  if (!other) {
    throw new ProblemError(
      'conflict',
      `Member '${target.id}' is the partner's last owner and cannot be ${change}; make another member an owner first.`,
    );
  }
}
