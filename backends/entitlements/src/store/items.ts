// Reads and writes the catalogue (services and goods) of one tenant; the only place that knows how an item is stored.
import { fetchPage } from '../../../../internal/src/store/paging';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../../internal/src/store/constraint-errors';
import { fromJsonText, toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { EntitlementsStoreDeps, Executor } from './deps';
import type { ItemsTable } from './schema';
import { ITEMS_TENANT_SKU } from './unique-indexes';

export type ItemType = 'service' | 'goods';

export interface Item {
  id: string;
  type: ItemType;
  name: string;
  description?: string;
  category: string;
  unit: string;
  sku?: string;
  active: boolean;
  used: boolean;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  deactivatedAt?: string;
}

export interface ItemInput {
  type: ItemType;
  name: string;
  description?: string;
  category: string;
  unit: string;
  sku?: string;
  metadata?: Record<string, string>;
}

export interface ItemChanges {
  name?: string;
  description?: string | null;
  category?: string;
  unit?: string;
  sku?: string;
  metadata?: Record<string, string>;
}

export interface ItemFilter {
  type?: ItemType;
  category?: string;
  active?: boolean;
}

export function toItem(row: ItemsTable): Item {
  return {
    id: row.id,
    type: row.type as ItemType,
    name: row.name,
    ...(row.description !== null ? { description: row.description } : {}),
    category: row.category,
    unit: row.unit,
    ...(row.sku !== null ? { sku: row.sku } : {}),
    active: Number(row.active) === 1,
    used: Number(row.used) === 1,
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.deactivated_at !== null ? { deactivatedAt: row.deactivated_at } : {}),
  };
}

/** Goods are identified by a SKU; services have none. The schema cannot say this, so the store does. */
function checkSku(type: string, sku: string | null | undefined): void {
  if (type === 'goods' && !sku) {
    throw new ProblemError('unprocessable', 'Goods need a SKU.', {
      errors: [{ pointer: '/sku', detail: 'is required for goods' }],
    });
  }
  if (type === 'service' && sku) {
    throw new ProblemError('unprocessable', 'Services have no SKU.', {
      errors: [{ pointer: '/sku', detail: 'is only allowed on goods' }],
    });
  }
}

function duplicateSku(sku: string | null | undefined, error: unknown): ProblemError {
  return new ProblemError('already_exists', `Another item already has the SKU '${sku}'.`, {
    errors: [{ pointer: '/sku', detail: 'is already used by another item' }],
    cause: error,
  });
}

export async function createItem(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  input: ItemInput,
): Promise<Item> {
  checkSku(input.type, input.sku);
  const now = deps.clock.now().toISOString();
  const row: ItemsTable = {
    id: deps.newId('itm'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    type: input.type,
    name: input.name,
    description: input.description ?? null,
    category: input.category,
    unit: input.unit,
    sku: input.sku ?? null,
    active: 1,
    used: 0,
    metadata: toJsonText(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
    deactivated_at: null,
  };
  try {
    await deps.db.insertInto('items').values(row).execute();
  } catch (error) {
    if (violatedUniqueIndex(error, ITEMS_TENANT_SKU)) throw duplicateSku(input.sku, error);
    throw error;
  }
  return toItem(row);
}

export async function findItemRow(
  db: Executor,
  scope: TenantScope,
  id: string,
): Promise<ItemsTable | undefined> {
  return db
    .selectFrom('items')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getItem(deps: EntitlementsStoreDeps, scope: TenantScope, id: string): Promise<Item> {
  const row = await findItemRow(deps.db, scope, id);
  if (!row) throw notFound('item', id);
  return toItem(row);
}

export async function listItems(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  filter: ItemFilter,
  page: PageRequest,
): Promise<Page<Item>> {
  let query = deps.db
    .selectFrom('items')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
  return fetchPage(query, page, toItem);
}

export async function updateItem(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
  changes: ItemChanges,
): Promise<Item> {
  const current = await findItemRow(deps.db, scope, id);
  if (!current) throw notFound('item', id);
  if (changes.sku !== undefined) checkSku(current.type, changes.sku);
  const values: Partial<ItemsTable> = { updated_at: deps.clock.now().toISOString() };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.category !== undefined) values.category = changes.category;
  if (changes.unit !== undefined) values.unit = changes.unit;
  if (changes.sku !== undefined) values.sku = changes.sku;
  if (changes.metadata !== undefined) values.metadata = toJsonText(changes.metadata);
  let query = deps.db
    .updateTable('items')
    .set(values)
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id);
  // Balances already granted count in this unit: once the item is used, its unit is fixed. The guard sits in the
  // UPDATE so that an item becoming used meanwhile is still caught.
  if (changes.unit !== undefined) {
    const unit = changes.unit;
    query = query.where((eb) => eb.or([eb('used', '=', 0), eb('unit', '=', unit)]));
  }
  let updated: bigint;
  try {
    updated = (await query.executeTakeFirst()).numUpdatedRows;
  } catch (error) {
    if (violatedUniqueIndex(error, ITEMS_TENANT_SKU)) throw duplicateSku(changes.sku, error);
    throw error;
  }
  if (Number(updated) === 0) {
    if (!(await findItemRow(deps.db, scope, id))) throw notFound('item', id);
    throw new ProblemError(
      'conflict',
      `Item '${id}' has been part of a package, so its unit cannot change; create a new item instead.`,
      { errors: [{ pointer: '/unit', detail: 'cannot change once the item is used' }] },
    );
  }
  return getItem(deps, scope, id);
}

export async function deleteItem(deps: EntitlementsStoreDeps, scope: TenantScope, id: string): Promise<void> {
  // Only an item no package ever referenced may go; the condition is in the DELETE itself (no read-then-write).
  const result = await deps.db
    .deleteFrom('items')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .where('used', '=', 0)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) > 0) return;
  if (!(await findItemRow(deps.db, scope, id))) throw notFound('item', id);
  throw new ProblemError(
    'conflict',
    `Item '${id}' has been part of a package and cannot be deleted; deactivate it instead.`,
  );
}

/** Deactivates (active → inactive) or reactivates (inactive → active) an item; the other way round is a 409. */
export async function setItemActive(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
  active: boolean,
): Promise<Item> {
  const now = deps.clock.now().toISOString();
  const result = await deps.db
    .updateTable('items')
    .set({ active: active ? 1 : 0, deactivated_at: active ? null : now, updated_at: now })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .where('active', '=', active ? 0 : 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    if (!(await findItemRow(deps.db, scope, id))) throw notFound('item', id);
    throw new ProblemError(
      'invalid_transition',
      `Item '${id}' is already ${active ? 'active' : 'inactive'}.`,
      { extensions: { currentStatus: active ? 'active' : 'inactive' } },
    );
  }
  return getItem(deps, scope, id);
}

/**
 * Checks that the items a package lists exist in the tenant's catalogue, are active and appear once, and marks
 * them used — in the caller's transaction. The UPDATE carries the conditions, so an item deleted or deactivated
 * meanwhile makes the count come up short rather than slip through.
 */
export async function useItemsInPackage(
  db: Executor,
  scope: TenantScope,
  items: ReadonlyArray<{ itemId: string }>,
): Promise<void> {
  const seen = new Map<string, number>();
  items.forEach(({ itemId }, index) => {
    if (seen.has(itemId)) {
      throw new ProblemError(
        'unprocessable',
        `Item '${itemId}' is listed twice; give it once with its total quantity.`,
        {
          errors: [
            { pointer: `/items/${index}/itemId`, detail: `repeats /items/${seen.get(itemId)}/itemId` },
          ],
        },
      );
    }
    seen.set(itemId, index);
  });
  const ids = [...seen.keys()];
  const rows = await db
    .selectFrom('items')
    .select(['id', 'active'])
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', 'in', ids)
    .execute();
  const found = new Map(rows.map((r) => [r.id, Number(r.active) === 1]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ProblemError('unprocessable', `No item with id '${missing[0]}' exists in the catalogue.`, {
      errors: missing.map((id) => ({ pointer: `/items/${seen.get(id)}/itemId`, detail: 'no such item' })),
    });
  }
  const inactive = ids.filter((id) => found.get(id) === false);
  if (inactive.length > 0) {
    throw new ProblemError('conflict', `Item '${inactive[0]}' is inactive; reactivate it or leave it out.`, {
      errors: inactive.map((id) => ({
        pointer: `/items/${seen.get(id)}/itemId`,
        detail: 'item is inactive',
      })),
    });
  }
  const result = await db
    .updateTable('items')
    .set({ used: 1 })
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', 'in', ids)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== ids.length) {
    throw new ProblemError('conflict', 'An item of the package was changed meanwhile; try again.');
  }
}
