// Checks that records a request names belong together (a contact or opportunity of the same customer) and turns
// a reference that vanished mid-request (the foreign key refuses the write) into a 409 instead of a 500.
import type { Kysely } from 'kysely';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import { isForeignKeyViolation } from './constraint-errors';
import { findContact } from './contacts';
import type { CrmTables } from './schema';

/** 404 when the contact is not this tenant's; 422 when it belongs to another customer. */
export async function assertContactOf(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  customerId: string,
  contactId: string,
  pointer = '/contactId',
): Promise<void> {
  const contact = await findContact(db, scope, contactId);
  if (!contact) throw notFound('contact', contactId);
  if (contact.customerId !== customerId) {
    throw new ProblemError('unprocessable', `Contact '${contactId}' belongs to another customer.`, {
      errors: [{ pointer, detail: 'must be a contact of the same customer' }],
    });
  }
}

/** A referenced contact deleted between our check and our write: the foreign key refuses, we answer 409. */
export async function withReferenceGuard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new ProblemError('conflict', 'A record this request refers to was deleted while it ran; retry.', {
        cause: error,
      });
    }
    throw error;
  }
}

/** 404 when the opportunity is not this tenant's; 422 when it belongs to another customer. */
export async function assertOpportunityOf(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  customerId: string,
  opportunityId: string,
  pointer = '/opportunityId',
): Promise<void> {
  const row = await db
    .selectFrom('opportunities')
    .select('customer_id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', opportunityId)
    .executeTakeFirst();
  if (!row) throw notFound('opportunity', opportunityId);
  if (row.customer_id !== customerId) {
    throw new ProblemError('unprocessable', `Opportunity '${opportunityId}' belongs to another customer.`, {
      errors: [{ pointer, detail: 'must be an opportunity of the same customer' }],
    });
  }
}
