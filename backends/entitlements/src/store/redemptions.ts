// Redemptions consume units of one item of a grant; a reversal gives them back, once. The balance never goes below
// zero: the decrement is a conditional UPDATE (`remaining >= quantity`) in one transaction with the redemption and
// its event, so concurrent redemptions cannot overdraw it on SQLite or PostgreSQL.
import { fetchPage } from '../../../../internal/src/store/paging';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../../internal/src/store/constraint-errors';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import { toStoredTimestamp } from '../../../../internal/src/store/timestamps';
import type { EntitlementsStoreDeps, Executor } from './deps';
import { appendGrantEvent } from './grant-events';
import { expireGrantIfDue, findGrantRow } from './grants';
import type { GrantsTable, RedemptionsTable } from './schema';
import { REDEMPTIONS_GRANT_EXTERNAL_REF } from './unique-indexes';

export type RedemptionStatus = 'completed' | 'reversed';

export interface Redemption {
  id: string;
  grantId: string;
  itemId: string;
  quantity: number;
  occurredAt: string;
  note?: string;
  externalRef?: string;
  status: RedemptionStatus;
  remainingAfter: number;
  reversedAt?: string;
  reversalReason?: string;
  createdAt: string;
}

export interface RedemptionInput {
  itemId: string;
  quantity: number;
  occurredAt?: string;
  note?: string;
  externalRef?: string;
}

export interface RedemptionFilter {
  itemId?: string;
  status?: RedemptionStatus;
}

function toRedemption(row: RedemptionsTable): Redemption {
  return {
    id: row.id,
    grantId: row.grant_id,
    itemId: row.item_id,
    quantity: Number(row.quantity),
    occurredAt: row.occurred_at,
    ...(row.note !== null ? { note: row.note } : {}),
    ...(row.external_ref !== null ? { externalRef: row.external_ref } : {}),
    status: row.status as RedemptionStatus,
    remainingAfter: Number(row.remaining_after),
    ...(row.reversed_at !== null ? { reversedAt: row.reversed_at } : {}),
    ...(row.reversal_reason !== null ? { reversalReason: row.reversal_reason } : {}),
    createdAt: row.created_at,
  };
}

/** Why a grant cannot be redeemed from right now, or undefined when it can. */
function notRedeemable(grant: GrantsTable, now: string): string | undefined {
  if (grant.status !== 'active' && grant.status !== 'suspended') return `is ${grant.status}`;
  if (grant.expires_at <= now) return `expired at ${grant.expires_at}`;
  if (grant.status === 'suspended') return 'is suspended';
  if (grant.starts_at > now) return `does not start until ${grant.starts_at}`;
  return undefined;
}

/**
 * Touches the grant row under the given conditions. On PostgreSQL this takes the row lock, so a suspension or a
 * revocation and the redemptions of the same grant are serialised; on SQLite the transaction already is.
 */
async function lockGrant(
  trx: Executor,
  scope: TenantScope,
  grantId: string,
  statuses: string[],
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('grants')
    .set({ updated_at: now })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', grantId)
    .where('status', 'in', statuses)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function createRedemption(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  input: RedemptionInput,
): Promise<Redemption> {
  const now = deps.clock.now().toISOString();
  const occurredAt =
    input.occurredAt === undefined ? now : toStoredTimestamp(input.occurredAt, '/occurredAt');
  if (occurredAt > now) {
    throw new ProblemError('unprocessable', 'A redemption cannot happen in the future.', {
      errors: [{ pointer: '/occurredAt', detail: 'is later than now' }],
    });
  }
  await expireGrantIfDue(deps, scope, grantId);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const grant = await findGrantRow(trx, scope, grantId);
      if (!grant) throw notFound('grant', grantId);
      const locked = grant.starts_at <= now && (await lockGrant(trx, scope, grantId, ['active'], now));
      if (!locked) {
        const current = (await findGrantRow(trx, scope, grantId)) ?? grant;
        const why = notRedeemable(current, now) ?? `is ${current.status}`;
        throw new ProblemError('invalid_transition', `Grant '${grantId}' ${why}; nothing can be redeemed.`, {
          extensions: { currentStatus: current.status },
        });
      }
      if (occurredAt < grant.starts_at) {
        throw new ProblemError('unprocessable', `The grant starts at ${grant.starts_at}.`, {
          errors: [{ pointer: '/occurredAt', detail: 'is before the grant starts' }],
        });
      }
      // The guard is in the UPDATE itself: with fewer units left, no row matches and nothing changes.
      const decremented = await trx
        .updateTable('grant_balances')
        .set((eb) => ({
          remaining: eb('remaining', '-', input.quantity),
          used: eb('used', '+', input.quantity),
        }))
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('grant_id', '=', grantId)
        .where('item_id', '=', input.itemId)
        .where('remaining', '>=', input.quantity)
        .executeTakeFirst();
      const balance = await trx
        .selectFrom('grant_balances')
        .select(['remaining', 'unit'])
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('grant_id', '=', grantId)
        .where('item_id', '=', input.itemId)
        .executeTakeFirst();
      if (!balance) {
        throw new ProblemError('unprocessable', `Item '${input.itemId}' is not part of grant '${grantId}'.`, {
          errors: [{ pointer: '/itemId', detail: 'not an item of this grant' }],
        });
      }
      if (Number(decremented.numUpdatedRows) === 0) {
        const remaining = Number(balance.remaining);
        throw new ProblemError(
          'insufficient_balance',
          `Only ${remaining} ${balance.unit}(s) of item '${input.itemId}' remain; ${input.quantity} requested.`,
          { extensions: { remaining, requested: input.quantity } },
        );
      }
      const row: RedemptionsTable = {
        id: deps.newId('rdm'),
        partner_id: scope.partnerId,
        environment: scope.environment,
        grant_id: grantId,
        item_id: input.itemId,
        quantity: input.quantity,
        occurred_at: occurredAt,
        note: input.note ?? null,
        external_ref: input.externalRef ?? null,
        status: 'completed',
        remaining_after: Number(balance.remaining),
        reversed_at: null,
        reversal_reason: null,
        created_at: now,
      };
      await trx.insertInto('redemptions').values(row).execute();
      await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
        grantId,
        type: 'redeemed',
        occurredAt,
        redemptionId: row.id,
        itemId: row.item_id,
        quantity: row.quantity,
      });
      return toRedemption(row);
    });
  } catch (error) {
    // The transaction was rolled back: the units taken above are back. Only the external-reference rule is the
    // caller's duplicate; any other refusal (an id collision) stays an internal error.
    if (violatedUniqueIndex(error, REDEMPTIONS_GRANT_EXTERNAL_REF)) {
      throw new ProblemError(
        'already_exists',
        `External reference '${input.externalRef}' was already redeemed on grant '${grantId}'.`,
        { errors: [{ pointer: '/externalRef', detail: 'already used on this grant' }], cause: error },
      );
    }
    throw error;
  }
}

async function findRedemptionRow(
  db: Executor,
  scope: TenantScope,
  grantId: string,
  id: string,
): Promise<RedemptionsTable | undefined> {
  return db
    .selectFrom('redemptions')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('grant_id', '=', grantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getRedemption(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  id: string,
): Promise<Redemption> {
  const row = await findRedemptionRow(deps.db, scope, grantId, id);
  if (!row) throw notFound('redemption', id);
  return toRedemption(row);
}

export async function listRedemptions(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  filter: RedemptionFilter,
  page: PageRequest,
): Promise<Page<Redemption>> {
  if (!(await findGrantRow(deps.db, scope, grantId))) throw notFound('grant', grantId);
  let query = deps.db
    .selectFrom('redemptions')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('grant_id', '=', grantId);
  if (filter.itemId) query = query.where('item_id', '=', filter.itemId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page, toRedemption);
}

/** Gives a redemption's units back, once, while the grant still runs (active or suspended). */
export async function reverseRedemption(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  id: string,
  reason: string | undefined,
): Promise<Redemption> {
  await expireGrantIfDue(deps, scope, grantId);
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findRedemptionRow(trx, scope, grantId, id);
    if (!existing) throw notFound('redemption', id);
    if (!(await lockGrant(trx, scope, grantId, ['active', 'suspended'], now))) {
      const grant = await findGrantRow(trx, scope, grantId);
      const status = grant && grant.expires_at <= now ? 'expired' : (grant?.status ?? 'unknown');
      throw new ProblemError(
        'invalid_transition',
        `Grant '${grantId}' is ${status}; its redemptions can no longer be reversed.`,
        { extensions: { currentStatus: status } },
      );
    }
    const reversed = await trx
      .updateTable('redemptions')
      .set({ status: 'reversed', reversed_at: now, reversal_reason: reason ?? null })
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('grant_id', '=', grantId)
      .where('id', '=', id)
      .where('status', '=', 'completed')
      .executeTakeFirst();
    if (Number(reversed.numUpdatedRows) === 0) {
      throw new ProblemError('invalid_transition', `Redemption '${id}' has already been reversed.`, {
        extensions: { currentStatus: 'reversed' },
      });
    }
    const quantity = Number(existing.quantity);
    const restored = await trx
      .updateTable('grant_balances')
      .set((eb) => ({ remaining: eb('remaining', '+', quantity), used: eb('used', '-', quantity) }))
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('grant_id', '=', grantId)
      .where('item_id', '=', existing.item_id)
      .where('used', '>=', quantity)
      .executeTakeFirst();
    if (Number(restored.numUpdatedRows) === 0) {
      // Cannot happen while every change goes through this module; refuse rather than corrupt the balance.
      throw new Error(`balance of ${grantId}/${existing.item_id} does not cover the reversal of ${id}`);
    }
    await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
      grantId,
      type: 'reversed',
      occurredAt: now,
      redemptionId: id,
      itemId: existing.item_id,
      quantity,
      ...(reason !== undefined ? { reason } : {}),
    });
    const row = await findRedemptionRow(trx, scope, grantId, id);
    return toRedemption(row!);
  });
}
