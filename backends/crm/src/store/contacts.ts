// Reads and writes the contacts of a tenant's customers. A customer has at most one primary contact: making a
// contact primary demotes the previous one in the same transaction, under the customer's row lock, and a partial
// unique index makes the database refuse a second primary whatever happens.
import { fetchPage } from '../../../../internal/src/store/paging';
import type { Kysely } from 'kysely';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../../internal/src/store/constraint-errors';
import { matchesText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import { type CrmStoreDeps, findCustomer, lockCustomer } from './customers';
import type { ContactsTable, CrmTables } from './schema';

export interface Contact {
  id: string;
  customerId: string;
  name: string;
  title?: string;
  email?: string;
  phone?: string;
  wechatId?: string;
  isPrimary: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  name: string;
  title?: string;
  email?: string;
  phone?: string;
  wechatId?: string;
  isPrimary?: boolean;
}

export interface ContactChanges {
  name?: string;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  wechatId?: string | null;
  isPrimary?: boolean;
}

export interface ContactFilter {
  isPrimary?: boolean;
  q?: string;
}

export function toContact(row: ContactsTable): Contact {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    ...(row.title !== null ? { title: row.title } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    ...(row.wechat_id !== null ? { wechatId: row.wechat_id } : {}),
    isPrimary: Number(row.is_primary) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Adds a contact to a customer (404 when the customer is not this tenant's). */
export async function createContact(
  deps: CrmStoreDeps,
  scope: TenantScope,
  customerId: string,
  input: ContactInput,
): Promise<Contact> {
  return withPrimaryGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      if (!(await lockCustomer(trx, scope, customerId))) throw notFound('customer', customerId);
      return insertContact({ ...deps, db: trx }, scope, customerId, input);
    }),
  );
}

/**
 * Inserts a contact inside a transaction that already holds the customer's lock (or has just created the
 * customer), demoting the previous primary contact first when the new one is primary.
 */
export async function insertContact(
  deps: CrmStoreDeps,
  scope: TenantScope,
  customerId: string,
  input: ContactInput,
): Promise<Contact> {
  const now = deps.clock.now().toISOString();
  if (input.isPrimary) await demotePrimary(deps.db, scope, customerId, undefined, now);
  const row: ContactsTable = {
    id: deps.newId('con'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    customer_id: customerId,
    name: input.name,
    title: input.title ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    wechat_id: input.wechatId ?? null,
    is_primary: input.isPrimary ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('contacts').values(row).execute();
  return toContact(row);
}

export async function findContact(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  id: string,
): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('contacts')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toContact(row) : undefined;
}

export async function getContact(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<Contact> {
  const contact = await findContact(deps.db, scope, id);
  if (!contact) throw notFound('contact', id);
  return contact;
}

/** The contacts of one customer, newest first (404 when the customer is not this tenant's). */
export async function listContacts(
  deps: CrmStoreDeps,
  scope: TenantScope,
  customerId: string,
  filter: ContactFilter,
  page: PageRequest,
): Promise<Page<Contact>> {
  if (!(await findCustomer(deps, scope, customerId))) throw notFound('customer', customerId);
  let query = deps.db
    .selectFrom('contacts')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('customer_id', '=', customerId);
  if (filter.isPrimary !== undefined) query = query.where('is_primary', '=', filter.isPrimary ? 1 : 0);
  if (filter.q) query = query.where(matchesText(['name', 'email'], filter.q));
  return fetchPage(query, page, toContact);
}

export async function updateContact(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
  changes: ContactChanges,
): Promise<Contact> {
  return withPrimaryGuard(() =>
    deps.db.transaction().execute(async (trx) => {
      const current = await findContact(trx, scope, id);
      if (!current) throw notFound('contact', id);
      const now = deps.clock.now().toISOString();
      if (changes.isPrimary === true) {
        // The lock serialises concurrent "make X primary" requests of one customer: each demotes whichever
        // contact is primary when it runs, so the last one wins and there is never a second primary.
        if (!(await lockCustomer(trx, scope, current.customerId))) throw notFound('contact', id);
        await demotePrimary(trx, scope, current.customerId, id, now);
      }
      const values: Partial<ContactsTable> = { updated_at: now };
      if (changes.name !== undefined) values.name = changes.name;
      if (changes.title !== undefined) values.title = changes.title;
      if (changes.email !== undefined) values.email = changes.email;
      if (changes.phone !== undefined) values.phone = changes.phone;
      if (changes.wechatId !== undefined) values.wechat_id = changes.wechatId;
      if (changes.isPrimary !== undefined) values.is_primary = changes.isPrimary ? 1 : 0;
      const result = await trx
        .updateTable('contacts')
        .set(values)
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound('contact', id);
      const updated = await findContact(trx, scope, id);
      if (!updated) throw notFound('contact', id);
      return updated;
    }),
  );
}

/** Deletes a contact; opportunities and activities that named it keep existing without it (ON DELETE SET NULL). */
export async function deleteContact(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<void> {
  const result = await deps.db
    .deleteFrom('contacts')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('contact', id);
}

async function demotePrimary(
  db: Kysely<CrmTables>,
  scope: TenantScope,
  customerId: string,
  exceptId: string | undefined,
  now: string,
): Promise<void> {
  let query = db
    .updateTable('contacts')
    .set({ is_primary: 0, updated_at: now })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('customer_id', '=', customerId)
    .where('is_primary', '=', 1);
  if (exceptId) query = query.where('id', '<>', exceptId);
  await query.execute();
}

/** The partial unique index behind "at most one primary contact per customer" (migrations.ts). */
export const ONE_PRIMARY_PER_CUSTOMER = {
  name: 'contacts_one_primary_per_customer',
  table: 'contacts',
  columns: ['customer_id'],
};

/**
 * The primary-contact index should never fire (the lock orders writers); if it does, say so instead of a 500.
 * Only that index: another unique refusal (the primary key) is not a lost race and must not be reported as one.
 */
export async function withPrimaryGuard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (violatedUniqueIndex(error, ONE_PRIMARY_PER_CUSTOMER)) {
      throw new ProblemError('conflict', 'Another contact became primary at the same time; retry.', {
        cause: error,
      });
    }
    throw error;
  }
}
