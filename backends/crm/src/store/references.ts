// Checks the records a request BODY names: they must exist in this tenant (422 with a pointer otherwise — the
// URL named a real resource, the body is what cannot be processed) and belong together (a contact or opportunity
// of the same customer). A reference that vanishes mid-request (the foreign key refuses the write) is a 409.
import type { Kysely } from 'kysely';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { isForeignKeyViolation } from '../../../../internal/src/store/constraint-errors';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import { findContact } from './contacts';
import { lockCustomer } from './customers';
import type { CrmTables } from './schema';

/** 422 naming `pointer`: the body refers to a record this tenant does not have (another tenant's looks the same). */
export function missingReference(what: string, id: string, pointer: string): ProblemError {
  return new ProblemError('unprocessable', `No ${what} with id '${id}' exists.`, {
    errors: [{ pointer, detail: `must be the id of an existing ${what}` }],
  });
}

/** Takes the customer's row lock (see lockCustomer); 422 when the body's customer is not this tenant's. */
export async function lockReferencedCustomer(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  customerId: string,
  pointer = '/customerId',
): Promise<void> {
  if (!(await lockCustomer(db, scope, customerId))) throw missingReference('customer', customerId, pointer);
}

/** 422 when the contact is not this tenant's, or belongs to another customer. */
export async function assertContactOf(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  customerId: string,
  contactId: string,
  pointer = '/contactId',
): Promise<void> {
  const contact = await findContact(db, scope, contactId);
  if (!contact) throw missingReference('contact', contactId, pointer);
  if (contact.customerId !== customerId) {
    throw new ProblemError('unprocessable', `Contact '${contactId}' belongs to another customer.`, {
      errors: [{ pointer, detail: 'must be a contact of the same customer' }],
    });
  }
}

/** 422 when the opportunity is not this tenant's, or belongs to another customer. */
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
  if (!row) throw missingReference('opportunity', opportunityId, pointer);
  if (row.customer_id !== customerId) {
    throw new ProblemError('unprocessable', `Opportunity '${opportunityId}' belongs to another customer.`, {
      errors: [{ pointer, detail: 'must be an opportunity of the same customer' }],
    });
  }
}

/** A referenced record deleted between our check and our write: the foreign key refuses, we answer 409. */
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
