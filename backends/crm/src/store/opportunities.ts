// Reads and writes a tenant's opportunities and their stage history. A stage move is a compare-and-set on the
// stage it was read in, inside a transaction that also appends the history entry (and, on won, promotes the
// customer), so two concurrent moves of one opportunity cannot both happen.
import type { Kysely } from 'kysely';
import { type PageRequest, toPage, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import type { CrmStoreDeps } from './customers';
import { assertContactOf, lockReferencedCustomer, withReferenceGuard } from './references';
import { canMoveStage, FIRST_STAGE, isClosedStage, type OpportunityStage } from './pipeline';
import type { CrmTables, OpportunitiesTable, OpportunityStageChangesTable } from './schema';

export interface Money {
  amount: number;
  currency: string;
}

export interface StageChange {
  stage: OpportunityStage;
  fromStage?: OpportunityStage;
  enteredAt: string;
}

export interface Opportunity {
  id: string;
  customerId: string;
  contactId?: string;
  leadId?: string;
  name: string;
  stage: OpportunityStage;
  amount: Money;
  expectedCloseDate?: string;
  lostReason?: string;
  closedAt?: string;
  stageHistory: StageChange[];
  createdAt: string;
  updatedAt: string;
}

export interface OpportunityInput {
  customerId: string;
  contactId?: string;
  name: string;
  amount: Money;
  expectedCloseDate?: string;
}

export interface OpportunityChanges {
  stage?: OpportunityStage;
  lostReason?: string;
  name?: string;
  amount?: Money;
  contactId?: string | null;
  expectedCloseDate?: string | null;
}

export interface OpportunityFilter {
  customerId?: string;
  stage?: OpportunityStage;
}

function toOpportunity(row: OpportunitiesTable, history: OpportunityStageChangesTable[]): Opportunity {
  return {
    id: row.id,
    customerId: row.customer_id,
    ...(row.contact_id !== null ? { contactId: row.contact_id } : {}),
    ...(row.lead_id !== null ? { leadId: row.lead_id } : {}),
    name: row.name,
    stage: row.stage as OpportunityStage,
    amount: { amount: Number(row.amount_minor), currency: row.currency },
    ...(row.expected_close_date !== null ? { expectedCloseDate: row.expected_close_date } : {}),
    ...(row.lost_reason !== null ? { lostReason: row.lost_reason } : {}),
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
    stageHistory: history.map((h) => ({
      stage: h.to_stage as OpportunityStage,
      ...(h.from_stage !== null ? { fromStage: h.from_stage as OpportunityStage } : {}),
      enteredAt: h.changed_at,
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Opens an opportunity at the first stage (422 when the customer or contact is not this tenant's). */
export async function createOpportunity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  input: OpportunityInput,
): Promise<Opportunity> {
  return withReferenceGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      await lockReferencedCustomer(trx, scope, input.customerId);
      if (input.contactId) await assertContactOf(trx, scope, input.customerId, input.contactId);
      return insertOpportunity({ ...deps, db: trx }, scope, input, undefined);
    }),
  );
}

/** Inserts an opportunity and its first history entry inside a transaction that has checked the customer. */
export async function insertOpportunity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  input: OpportunityInput,
  leadId: string | undefined,
): Promise<Opportunity> {
  const now = deps.clock.now().toISOString();
  const row: OpportunitiesTable = {
    id: deps.newId('opp'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    customer_id: input.customerId,
    contact_id: input.contactId ?? null,
    lead_id: leadId ?? null,
    name: input.name,
    stage: FIRST_STAGE,
    amount_minor: input.amount.amount,
    currency: input.amount.currency,
    expected_close_date: input.expectedCloseDate ?? null,
    lost_reason: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('opportunities').values(row).execute();
  const change = await recordStageChange(deps, scope, row.id, null, FIRST_STAGE, now);
  return toOpportunity(row, [change]);
}

export async function getOpportunity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
): Promise<Opportunity> {
  const found = await findOpportunity(deps.db, scope, id);
  if (!found) throw notFound('opportunity', id);
  return found;
}

export async function listOpportunities(
  deps: CrmStoreDeps,
  scope: TenantScope,
  filter: OpportunityFilter,
  page: PageRequest,
): Promise<Page<Opportunity>> {
  let query = deps.db
    .selectFrom('opportunities')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.stage) query = query.where('stage', '=', filter.stage);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const histories = await stageHistories(
    deps.db,
    scope,
    rows.map((r) => r.id),
  );
  return toPage(
    rows.map((r) => toOpportunity(r, histories.get(r.id) ?? [])),
    page.limit,
  );
}

/**
 * Changes fields and/or moves the stage. Won and lost opportunities are final (409); a stage must be later in
 * the pipeline or lost (409); `lostReason` only comes with lost (422); a contact must be the customer's.
 */
export async function updateOpportunity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
  changes: OpportunityChanges,
): Promise<Opportunity> {
  if (changes.lostReason !== undefined && changes.stage !== 'lost') {
    throw new ProblemError('unprocessable', '`lostReason` can only be given together with `stage: lost`.', {
      errors: [{ pointer: '/lostReason', detail: 'only allowed with stage lost' }],
    });
  }
  return withReferenceGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      const row = await findOpportunityRow(trx, scope, id);
      if (!row) throw notFound('opportunity', id);
      const from = row.stage as OpportunityStage;
      if (changes.stage !== undefined && !canMoveStage(from, changes.stage)) {
        throw new ProblemError(
          'invalid_transition',
          isClosedStage(from)
            ? `The opportunity is ${from}; won and lost are final.`
            : `An opportunity at stage '${from}' cannot move to '${changes.stage}': stages only move forward or to lost.`,
          { extensions: { currentStage: from } },
        );
      }
      if (isClosedStage(from)) {
        throw new ProblemError('conflict', `The opportunity is ${from} and can no longer be changed.`, {
          extensions: { currentStage: from },
        });
      }
      if (changes.contactId) await assertContactOf(trx, scope, row.customer_id, changes.contactId);

      const now = deps.clock.now().toISOString();
      const values: Partial<OpportunitiesTable> = { updated_at: now };
      if (changes.name !== undefined) values.name = changes.name;
      if (changes.amount !== undefined) {
        values.amount_minor = changes.amount.amount;
        values.currency = changes.amount.currency;
      }
      if (changes.contactId !== undefined) values.contact_id = changes.contactId;
      if (changes.expectedCloseDate !== undefined) values.expected_close_date = changes.expectedCloseDate;
      if (changes.stage !== undefined) {
        values.stage = changes.stage;
        if (isClosedStage(changes.stage)) values.closed_at = now;
        if (changes.lostReason !== undefined) values.lost_reason = changes.lostReason;
      }
      // Compare-and-set on the stage we decided from: a concurrent move makes this touch no row.
      const result = await trx
        .updateTable('opportunities')
        .set(values)
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .where('stage', '=', from)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw new ProblemError(
          'conflict',
          'The opportunity changed stage while this request ran; read it and retry.',
        );
      }
      if (changes.stage !== undefined) {
        await recordStageChange({ ...deps, db: trx }, scope, id, from, changes.stage, now);
        if (changes.stage === 'won') await promoteCustomer(trx, scope, row.customer_id, now);
      }
      const updated = await findOpportunity(trx, scope, id);
      if (!updated) throw notFound('opportunity', id);
      return updated;
    }),
  );
}

/** Deletes an opportunity; its history goes with it, activities that named it stay (ON DELETE SET NULL). */
export async function deleteOpportunity(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<void> {
  const result = await deps.db
    .deleteFrom('opportunities')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('opportunity', id);
}

export async function findOpportunityRow(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  id: string,
): Promise<OpportunitiesTable | undefined> {
  return db
    .selectFrom('opportunities')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

async function findOpportunity(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  id: string,
): Promise<Opportunity | undefined> {
  const row = await findOpportunityRow(db, scope, id);
  if (!row) return undefined;
  const histories = await stageHistories(db, scope, [id]);
  return toOpportunity(row, histories.get(id) ?? []);
}

async function stageHistories(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  ids: string[],
): Promise<Map<string, OpportunityStageChangesTable[]>> {
  const byOpportunity = new Map<string, OpportunityStageChangesTable[]>();
  if (ids.length === 0) return byOpportunity;
  const rows = await db
    .selectFrom('opportunity_stage_changes')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('opportunity_id', 'in', ids)
    .orderBy('id', 'asc')
    .execute();
  for (const row of rows) {
    const list = byOpportunity.get(row.opportunity_id) ?? [];
    list.push(row);
    byOpportunity.set(row.opportunity_id, list);
  }
  return byOpportunity;
}

async function recordStageChange(
  deps: CrmStoreDeps,
  scope: TenantScope,
  opportunityId: string,
  from: OpportunityStage | null,
  to: OpportunityStage,
  at: string,
): Promise<OpportunityStageChangesTable> {
  const row: OpportunityStageChangesTable = {
    id: deps.newId('stg'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    opportunity_id: opportunityId,
    from_stage: from,
    to_stage: to,
    changed_at: at,
  };
  await deps.db.insertInto('opportunity_stage_changes').values(row).execute();
  return row;
}

/** Winning a deal makes its customer a customer (the end of the journey this CRM tracks). */
async function promoteCustomer(db: Kysely<CrmTables>, scope: TenantScope, customerId: string, now: string) {
  await db
    .updateTable('customers')
    .set({ lifecycle_stage: 'customer', updated_at: now })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', customerId)
    .where('lifecycle_stage', '<>', 'customer')
    .execute();
}
