// Partners, the tenants. Sign-up creates the partner and its first member, an owner, in one transaction: there is
// never a partner without an owner, nor an owner of a partner that failed to be created.
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../internal/src/store/constraint-errors';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps } from './deps';
import { normalizeEmail, toMember, type Member } from './members';
import type { MembersTable, PartnersTable } from './schema';
import { MEMBERS_EMAIL } from './unique-indexes';

export type PartnerStatus = 'active' | 'suspended';

export interface Partner {
  id: string;
  name: string;
  website: string | null;
  contactEmail: string;
  country: string | null;
  status: PartnerStatus;
  statusReason: string | null;
  planId: string;
  createdAt: string;
  updatedAt: string;
}

export interface SignUpInput {
  partnerName: string;
  planId: string;
  owner: { name: string; email: string; passwordHash: string };
}

/**
 * Creates a partner on `planId` with its owner, signed in now (lastLoginAt), and records `partner.created` as done
 * by that owner. An address already used by any member is a 409 (`already_exists`); an unknown plan is a 422.
 * `context.actor` is ignored: the actor is the new owner, who did not exist before.
 */
export async function createPartnerWithOwner(
  deps: KeysStoreDeps,
  input: SignUpInput,
  context: Omit<AuditContext, 'actor'>,
): Promise<{ partner: Partner; owner: Member }> {
  const now = deps.clock.now().toISOString();
  const partner: PartnersTable = {
    id: deps.newId('prt'),
    name: input.partnerName,
    website: null,
    contact_email: input.owner.email,
    country: null,
    status: 'active',
    status_reason: null,
    plan_id: input.planId,
    created_at: now,
    updated_at: now,
  };
  const owner: MembersTable = {
    id: deps.newId('mem'),
    partner_id: partner.id,
    email: input.owner.email,
    email_normalized: normalizeEmail(input.owner.email),
    name: input.owner.name,
    role: 'owner',
    status: 'active',
    password_hash: input.owner.passwordHash,
    invitation_digest: null,
    invitation_expires_at: null,
    invited_by: null,
    last_login_at: now,
    created_at: now,
    updated_at: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      const plan = await trx
        .selectFrom('plans')
        .select('id')
        .where('id', '=', input.planId)
        .executeTakeFirst();
      if (!plan) throw new ProblemError('unprocessable', `No plan with id '${input.planId}' exists.`);
      await trx.insertInto('partners').values(partner).execute();
      await trx.insertInto('members').values(owner).execute();
      await appendAuditEvent(
        trx,
        deps,
        {
          ...context,
          actor: { type: 'member', memberId: owner.id, email: owner.email, personalTokenId: null },
        },
        {
          partnerId: partner.id,
          action: 'partner.created',
          target: { type: 'partner', id: partner.id },
          details: { name: partner.name, planId: partner.plan_id },
        },
      );
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
  return { partner: toPartner(partner), owner: toMember(owner) };
}

/**
 * Suspends an active partner (`suspend`) or reinstates a suspended one (`reinstate`) with one conditional UPDATE,
 * so two operators racing change it once. Any other starting state is a 409 (`invalid_transition`).
 */
export async function changePartnerStatus(
  deps: KeysStoreDeps,
  partnerId: string,
  change: { action: 'suspend'; reason: string } | { action: 'reinstate' },
  context: AuditContext,
): Promise<Partner> {
  const from: PartnerStatus = change.action === 'suspend' ? 'active' : 'suspended';
  const to: PartnerStatus = change.action === 'suspend' ? 'suspended' : 'active';
  const reason = change.action === 'suspend' ? change.reason : null;
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('partners')
      .set({ status: to, status_reason: reason, updated_at: deps.clock.now().toISOString() })
      .where('id', '=', partnerId)
      .where('status', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await findPartner({ db: trx }, partnerId);
      if (!current) throw notFound('partner', partnerId);
      throw new ProblemError('invalid_transition', `Partner '${partnerId}' is '${current.status}'.`, {
        extensions: { currentStatus: current.status },
      });
    }
    await appendAuditEvent(trx, deps, context, {
      partnerId,
      action: change.action === 'suspend' ? 'partner.suspended' : 'partner.reinstated',
      target: { type: 'partner', id: partnerId },
      details: reason === null ? {} : { reason },
    });
  });
  return getPartner(deps, partnerId);
}

/** Moves a partner to another plan; the same plan again changes nothing and records nothing. Unknown plan: 422. */
export async function changePartnerPlan(
  deps: KeysStoreDeps,
  partnerId: string,
  planId: string,
  context: AuditContext,
): Promise<Partner> {
  await deps.db.transaction().execute(async (trx) => {
    const plan = await trx.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst();
    const current = await findPartner({ db: trx }, partnerId);
    if (!current) throw notFound('partner', partnerId);
    if (!plan) {
      throw new ProblemError('unprocessable', `No plan with id '${planId}' exists.`, {
        errors: [{ pointer: '/planId', detail: 'no such plan' }],
      });
    }
    const result = await trx
      .updateTable('partners')
      .set({ plan_id: planId, updated_at: deps.clock.now().toISOString() })
      .where('id', '=', partnerId)
      .where('plan_id', '<>', planId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return;
    await appendAuditEvent(trx, deps, context, {
      partnerId,
      action: 'partner.plan_changed',
      target: { type: 'partner', id: partnerId },
      details: { fromPlanId: current.planId, toPlanId: planId },
    });
  });
  return getPartner(deps, partnerId);
}

export async function findPartner(deps: Pick<KeysStoreDeps, 'db'>, id: string): Promise<Partner | undefined> {
  const row = await deps.db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPartner(row) : undefined;
}

export async function getPartner(deps: Pick<KeysStoreDeps, 'db'>, id: string): Promise<Partner> {
  const partner = await findPartner(deps, id);
  if (!partner) throw notFound('partner', id);
  return partner;
}

export function toPartner(row: PartnersTable): Partner {
  return {
    id: row.id,
    name: row.name,
    website: row.website,
    contactEmail: row.contact_email,
    country: row.country,
    status: row.status as PartnerStatus,
    statusReason: row.status_reason,
    planId: row.plan_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
