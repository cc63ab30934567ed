// Reads and writes customers for one tenant; the only place that knows how a customer is stored.
import { fetchPage } from '../../../../internal/src/store/paging';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../../../internal/src/clock';
import type { IdGenerator } from '../../../../internal/src/ids';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { isForeignKeyViolation } from '../../../../internal/src/store/constraint-errors';
import {
  containsPattern,
  fromJsonText,
  matchesText,
  toJsonText,
  type TenantScope,
} from '../../../../internal/src/store/query-helpers';
import type { CrmTables, CustomersTable } from './schema';

export type CustomerKind = 'organization' | 'person';
export type LifecycleStage = 'prospect' | 'lead' | 'customer' | 'churned';

export interface Customer {
  id: string;
  kind: CustomerKind;
  name: string;
  email?: string;
  phone?: string;
  lifecycleStage: LifecycleStage;
  tags: string[];
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerInput {
  kind: CustomerKind;
  name: string;
  email?: string;
  phone?: string;
  lifecycleStage?: LifecycleStage;
  tags?: string[];
  metadata?: Record<string, string>;
}

export interface CustomerChanges {
  name?: string;
  email?: string | null;
  phone?: string | null;
  lifecycleStage?: LifecycleStage;
  tags?: string[];
  metadata?: Record<string, string>;
}

export interface CustomerFilter {
  kind?: CustomerKind;
  lifecycleStage?: LifecycleStage;
  tag?: string;
  q?: string;
}

export interface CrmStoreDeps {
  db: Kysely<CrmTables>;
  clock: Clock;
  newId: IdGenerator;
}

export function toCustomer(row: CustomersTable): Customer {
  return {
    id: row.id,
    kind: row.kind as CustomerKind,
    name: row.name,
    ...(row.email !== null ? { email: row.email } : {}),
    ...(row.phone !== null ? { phone: row.phone } : {}),
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    tags: fromJsonText<string[]>(row.tags, []),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createCustomer(
  deps: CrmStoreDeps,
  scope: TenantScope,
  input: CustomerInput,
): Promise<Customer> {
  const now = deps.clock.now().toISOString();
  const row: CustomersTable = {
    id: deps.newId('cus'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    kind: input.kind,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    lifecycle_stage: input.lifecycleStage ?? 'prospect',
    tags: toJsonText(input.tags ?? []),
    metadata: toJsonText(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
  };
  await deps.db.insertInto('customers').values(row).execute();
  return toCustomer(row);
}

export async function findCustomer(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
): Promise<Customer | undefined> {
  const row = await deps.db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toCustomer(row) : undefined;
}

export async function getCustomer(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<Customer> {
  const customer = await findCustomer(deps, scope, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export async function listCustomers(
  deps: CrmStoreDeps,
  scope: TenantScope,
  filter: CustomerFilter,
  page: PageRequest,
): Promise<Page<Customer>> {
  let query = deps.db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.lifecycleStage) query = query.where('lifecycle_stage', '=', filter.lifecycleStage);
  // Tags are stored as a JSON array; a JSON-encoded tag inside it is an exact (case-sensitive) element match.
  if (filter.tag)
    query = query.where(sql<boolean>`tags like ${containsPattern(JSON.stringify(filter.tag))} escape '\\'`);
  if (filter.q) query = query.where(matchesText(['name', 'email'], filter.q));
  return fetchPage(query, page, toCustomer);
}

export async function updateCustomer(
  deps: CrmStoreDeps,
  scope: TenantScope,
  id: string,
  changes: CustomerChanges,
): Promise<Customer> {
  const values: Partial<CustomersTable> = { updated_at: deps.clock.now().toISOString() };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.email !== undefined) values.email = changes.email;
  if (changes.phone !== undefined) values.phone = changes.phone;
  if (changes.lifecycleStage !== undefined) values.lifecycle_stage = changes.lifecycleStage;
  if (changes.tags !== undefined) values.tags = toJsonText(changes.tags);
  if (changes.metadata !== undefined) values.metadata = toJsonText(changes.metadata);
  const result = await deps.db
    .updateTable('customers')
    .set(values)
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('customer', id);
  return getCustomer(deps, scope, id);
}

/**
 * Deletes a customer; the database cascades to its contacts and activities. One conditional statement refuses a
 * customer that has opportunities, and the foreign key refuses one that gained an opportunity concurrently.
 */
export async function deleteCustomer(deps: CrmStoreDeps, scope: TenantScope, id: string): Promise<void> {
  let deleted: number;
  try {
    const result = await deps.db
      .deleteFrom('customers')
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('opportunities')
              .select('id')
              .whereRef('opportunities.customer_id', '=', 'customers.id'),
          ),
        ),
      )
      .executeTakeFirst();
    deleted = Number(result.numDeletedRows);
  } catch (error) {
    if (isForeignKeyViolation(error)) throw hasOpportunities(id, error);
    throw error;
  }
  if (deleted === 1) return;
  if (!(await findCustomer(deps, scope, id))) throw notFound('customer', id);
  throw hasOpportunities(id);
}

function hasOpportunities(id: string, cause?: unknown): ProblemError {
  return new ProblemError(
    'conflict',
    `Customer '${id}' has opportunities; delete them before deleting the customer.`,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Takes the customer's row lock for the rest of the transaction (a no-op UPDATE locks the row on PostgreSQL;
 * SQLite runs one writer at a time anyway) and says whether the customer exists in this tenant. Writes that
 * depend on "the customer exists" or on its set of contacts take it first, so they serialise per customer and
 * cannot interleave with its deletion.
 */
export async function lockCustomer(db: Kysely<CrmTables>, scope: TenantScope, id: string): Promise<boolean> {
  const result = await db
    .updateTable('customers')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
