// Reads and writes a tenant's activities: the events of a customer's journey and the follow-ups still to do.
// A follow-up has a due time and is completed once (a conditional UPDATE); every other type has an occurrence time.
import { fetchPage } from '../../../../internal/src/store/paging';
import type { Kysely } from 'kysely';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError, type ProblemFieldError } from '../../../../internal/src/problem/problem';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import { toStoredTimestamp } from '../../../../internal/src/store/timestamps';
import type { CrmStoreDeps } from './customers';
import {
  assertContactOf,
  assertOpportunityOf,
  lockReferencedCustomer,
  withReferenceGuard,
} from './references';
import type { ActivitiesTable, CrmTables } from './schema';

export type ActivityType = 'call' | 'visit' | 'follow_up' | 'note' | 'wechat_message' | 'email';

export interface Activity {
  id: string;
  customerId: string;
  contactId?: string;
  opportunityId?: string;
  type: ActivityType;
  subject: string;
  content?: string;
  occurredAt?: string;
  dueAt?: string;
  completedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ActivityInput {
  customerId: string;
  contactId?: string;
  opportunityId?: string;
  type: ActivityType;
  subject: string;
  content?: string;
  occurredAt?: string;
  dueAt?: string;
}

export interface ActivityChanges {
  subject?: string;
  content?: string | null;
  contactId?: string | null;
  opportunityId?: string | null;
  occurredAt?: string;
  dueAt?: string;
}

export interface ActivityFilter {
  customerId?: string;
  contactId?: string;
  opportunityId?: string;
  type?: ActivityType;
  /** Inclusive lower bound on occurredAt (dueAt for follow-ups), ISO-8601. */
  from?: string;
  /** Exclusive upper bound on occurredAt (dueAt for follow-ups), ISO-8601. */
  to?: string;
  followUpStatus?: 'open' | 'completed';
}

function toActivity(row: ActivitiesTable): Activity {
  const optional = {
    contactId: row.contact_id,
    opportunityId: row.opportunity_id,
    content: row.content,
    occurredAt: row.occurred_at,
    dueAt: row.due_at,
    completedAt: row.completed_at,
  };
  return {
    id: row.id,
    customerId: row.customer_id,
    type: row.type as ActivityType,
    subject: row.subject,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as Activity;
}

/** Records an activity on a customer (422 when it, or a named contact/opportunity, is not this tenant's). */
export async function createActivity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  input: ActivityInput,
): Promise<Activity> {
  const isFollowUp = input.type === 'follow_up';
  const errors: ProblemFieldError[] = [];
  if (isFollowUp && input.dueAt === undefined)
    errors.push({ pointer: '/dueAt', detail: 'a follow_up needs dueAt' });
  if (isFollowUp && input.occurredAt !== undefined)
    errors.push({ pointer: '/occurredAt', detail: 'a follow_up has dueAt, not occurredAt' });
  if (!isFollowUp && input.dueAt !== undefined)
    errors.push({ pointer: '/dueAt', detail: 'only a follow_up has dueAt' });
  if (errors.length > 0)
    throw new ProblemError('unprocessable', 'The times do not fit the activity type.', { errors });
  // Normalised before any write, so that an unstorable time is a 400 and never a malformed row.
  const givenOccurredAt =
    input.occurredAt === undefined ? undefined : toStoredTimestamp(input.occurredAt, '/occurredAt');
  const dueAt = input.dueAt === undefined ? null : toStoredTimestamp(input.dueAt, '/dueAt');

  return withReferenceGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      await lockReferencedCustomer(trx, scope, input.customerId);
      if (input.contactId) await assertContactOf(trx, scope, input.customerId, input.contactId);
      if (input.opportunityId) await assertOpportunityOf(trx, scope, input.customerId, input.opportunityId);
      const now = deps.clock.now().toISOString();
      const occurredAt = isFollowUp ? null : (givenOccurredAt ?? now);
      const row: ActivitiesTable = {
        id: deps.newId('act'),
        partner_id: scope.partnerId,
        environment: scope.environment,
        customer_id: input.customerId,
        contact_id: input.contactId ?? null,
        opportunity_id: input.opportunityId ?? null,
        type: input.type,
        subject: input.subject,
        content: input.content ?? null,
        occurred_at: occurredAt,
        due_at: dueAt,
        completed_at: null,
        timeline_at: (occurredAt ?? dueAt)!,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('activities').values(row).execute();
      return toActivity(row);
    }),
  );
}

export async function getActivity(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<Activity> {
  const row = await findActivityRow(deps.db, scope, id);
  if (!row) throw notFound('activity', id);
  return toActivity(row);
}

/** Activities newest-recorded first; with `customerId` this is the customer's timeline. */
export async function listActivities(
  deps: CrmStoreDeps,
  scope: TenantScope,
  filter: ActivityFilter,
  page: PageRequest,
): Promise<Page<Activity>> {
  let query = deps.db
    .selectFrom('activities')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId);
  if (filter.opportunityId) query = query.where('opportunity_id', '=', filter.opportunityId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.from)
    query = query.where('timeline_at', '>=', toStoredTimestamp(filter.from, { parameter: 'from' }));
  if (filter.to) query = query.where('timeline_at', '<', toStoredTimestamp(filter.to, { parameter: 'to' }));
  if (filter.followUpStatus) {
    query = query
      .where('type', '=', 'follow_up')
      .where('completed_at', filter.followUpStatus === 'open' ? 'is' : 'is not', null);
  }
  return fetchPage(query, page, toActivity);
}

/**
 * Changes fields of an activity. occurredAt is for non-follow-ups and dueAt for follow-ups (422 otherwise);
 * a completed follow-up's due time is history (409). Named contacts and opportunities must be the customer's.
 */
export async function updateActivity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
  changes: ActivityChanges,
): Promise<Activity> {
  const occurredAt =
    changes.occurredAt === undefined ? undefined : toStoredTimestamp(changes.occurredAt, '/occurredAt');
  const dueAt = changes.dueAt === undefined ? undefined : toStoredTimestamp(changes.dueAt, '/dueAt');
  return withReferenceGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      const row = await findActivityRow(trx, scope, id);
      if (!row) throw notFound('activity', id);
      const isFollowUp = row.type === 'follow_up';
      if (isFollowUp && changes.occurredAt !== undefined) {
        throw new ProblemError('unprocessable', 'A follow-up has a due time, not an occurrence time.', {
          errors: [{ pointer: '/occurredAt', detail: 'not allowed on a follow_up' }],
        });
      }
      if (!isFollowUp && changes.dueAt !== undefined) {
        throw new ProblemError('unprocessable', 'Only a follow-up has a due time.', {
          errors: [{ pointer: '/dueAt', detail: 'only allowed on a follow_up' }],
        });
      }
      if (changes.contactId) await assertContactOf(trx, scope, row.customer_id, changes.contactId);
      if (changes.opportunityId)
        await assertOpportunityOf(trx, scope, row.customer_id, changes.opportunityId);

      const values: Partial<ActivitiesTable> = { updated_at: deps.clock.now().toISOString() };
      if (changes.subject !== undefined) values.subject = changes.subject;
      if (changes.content !== undefined) values.content = changes.content;
      if (changes.contactId !== undefined) values.contact_id = changes.contactId;
      if (changes.opportunityId !== undefined) values.opportunity_id = changes.opportunityId;
      if (occurredAt !== undefined) {
        values.occurred_at = occurredAt;
        values.timeline_at = occurredAt;
      }
      if (dueAt !== undefined) {
        values.due_at = dueAt;
        values.timeline_at = dueAt;
      }
      let query = trx
        .updateTable('activities')
        .set(values)
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id);
      // A completed follow-up's due time is history: the guard and the write are one statement.
      if (changes.dueAt !== undefined) query = query.where('completed_at', 'is', null);
      const result = await query.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        throw new ProblemError(
          'invalid_transition',
          'The follow-up is completed; its due time can no longer change.',
        );
      }
      const updated = await findActivityRow(trx, scope, id);
      if (!updated) throw notFound('activity', id);
      return toActivity(updated);
    }),
  );
}

/** Completes an open follow-up, once: a conditional UPDATE, so two concurrent completions cannot both succeed. */
export async function completeActivity(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
): Promise<Activity> {
  const now = deps.clock.now().toISOString();
  const result = await deps.db
    .updateTable('activities')
    .set({ completed_at: now, updated_at: now })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .where('type', '=', 'follow_up')
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  const row = await findActivityRow(deps.db, scope, id);
  if (!row) throw notFound('activity', id);
  if (Number(result.numUpdatedRows) === 0) {
    throw row.type !== 'follow_up'
      ? new ProblemError('conflict', `Only a follow-up can be completed; this activity is a ${row.type}.`)
      : new ProblemError(
          'invalid_transition',
          `The follow-up was already completed at ${row.completed_at}.`,
          {
            extensions: { completedAt: row.completed_at },
          },
        );
  }
  return toActivity(row);
}

export async function deleteActivity(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<void> {
  const result = await deps.db
    .deleteFrom('activities')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('activity', id);
}

async function findActivityRow(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  id: string,
): Promise<ActivitiesTable | undefined> {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}
