// Reads and writes service packages of one tenant: items with quantities, a price, a validity, and the
// draft → active → retired lifecycle. Items freeze once a package has been granted (grants snapshot them anyway,
// but a package should keep meaning what its grants say).
import { type PageRequest, toPage, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { fromJsonText, toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { EntitlementsStoreDeps, Executor } from './deps';
import { useItemsInPackage, type ItemType } from './items';
import type { PackagesTable } from './schema';
import { normaliseValidity, type Validity } from './validity';

export type PackageStatus = 'draft' | 'active' | 'retired';

export interface Money {
  amount: number;
  currency: string;
}

export interface PackageItem {
  itemId: string;
  name: string;
  type: ItemType;
  unit: string;
  quantity: number;
}

export interface Package {
  id: string;
  name: string;
  description?: string;
  status: PackageStatus;
  items: PackageItem[];
  price: Money;
  validity: Validity;
  grantCount: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  activatedAt?: string;
  retiredAt?: string;
}

export interface PackageItemInput {
  itemId: string;
  quantity: number;
}

export interface PackageInput {
  name: string;
  description?: string;
  items: PackageItemInput[];
  price: Money;
  validity: Validity;
  metadata?: Record<string, string>;
}

export interface PackageChanges {
  name?: string;
  description?: string | null;
  items?: PackageItemInput[];
  price?: Money;
  validity?: Validity;
  metadata?: Record<string, string>;
}

export interface PackageFilter {
  status?: PackageStatus;
  itemId?: string;
}

function toPackage(row: PackagesTable, items: PackageItem[]): Package {
  return {
    id: row.id,
    name: row.name,
    ...(row.description !== null ? { description: row.description } : {}),
    status: row.status as PackageStatus,
    items,
    price: { amount: Number(row.price_amount), currency: row.price_currency },
    validity: fromJsonText<Validity>(row.validity, { kind: 'rolling', days: 1 }),
    grantCount: Number(row.grant_count),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.activated_at !== null ? { activatedAt: row.activated_at } : {}),
    ...(row.retired_at !== null ? { retiredAt: row.retired_at } : {}),
  };
}

/** The items of several packages in one query, with the catalogue's current name, type and unit. */
export async function loadPackageItems(
  db: Executor,
  scope: TenantScope,
  packageIds: string[],
): Promise<Map<string, PackageItem[]>> {
  const byPackage = new Map<string, PackageItem[]>(packageIds.map((id) => [id, []]));
  if (packageIds.length === 0) return byPackage;
  const rows = await db
    .selectFrom('package_items as pi')
    .innerJoin('items as i', 'i.id', 'pi.item_id')
    .select(['pi.package_id', 'pi.item_id', 'pi.quantity', 'i.name', 'i.type', 'i.unit'])
    .where('pi.partner_id', '=', scope.partnerId)
    .where('pi.environment', '=', scope.environment)
    // Defence in depth: the joined catalogue row must be this tenant's too.
    .where('i.partner_id', '=', scope.partnerId)
    .where('i.environment', '=', scope.environment)
    .where('pi.package_id', 'in', packageIds)
    .orderBy('pi.package_id')
    .orderBy('pi.position')
    .execute();
  for (const row of rows) {
    byPackage.get(row.package_id)?.push({
      itemId: row.item_id,
      name: row.name,
      type: row.type as ItemType,
      unit: row.unit,
      quantity: Number(row.quantity),
    });
  }
  return byPackage;
}

export async function findPackageRow(
  db: Executor,
  scope: TenantScope,
  id: string,
): Promise<PackagesTable | undefined> {
  return db
    .selectFrom('packages')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

async function readPackage(db: Executor, scope: TenantScope, id: string): Promise<Package> {
  const row = await findPackageRow(db, scope, id);
  if (!row) throw notFound('package', id);
  const items = await loadPackageItems(db, scope, [id]);
  return toPackage(row, items.get(id) ?? []);
}

async function insertPackageItems(
  db: Executor,
  scope: TenantScope,
  packageId: string,
  items: PackageItemInput[],
): Promise<void> {
  await useItemsInPackage(db, scope, items);
  await db
    .insertInto('package_items')
    .values(
      items.map((item, position) => ({
        partner_id: scope.partnerId,
        environment: scope.environment,
        package_id: packageId,
        item_id: item.itemId,
        quantity: item.quantity,
        position,
      })),
    )
    .execute();
}

export async function createPackage(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  input: PackageInput,
): Promise<Package> {
  const validity = normaliseValidity(input.validity);
  const now = deps.clock.now().toISOString();
  const row: PackagesTable = {
    id: deps.newId('pkg'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    name: input.name,
    description: input.description ?? null,
    status: 'draft',
    price_amount: input.price.amount,
    price_currency: input.price.currency,
    validity: toJsonText(validity),
    grant_count: 0,
    metadata: toJsonText(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
    activated_at: null,
    retired_at: null,
  };
  return deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('packages').values(row).execute();
    await insertPackageItems(trx, scope, row.id, input.items);
    return readPackage(trx, scope, row.id);
  });
}

export async function getPackage(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
): Promise<Package> {
  return readPackage(deps.db, scope, id);
}

export async function listPackages(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  filter: PackageFilter,
  page: PageRequest,
): Promise<Page<Package>> {
  let query = deps.db
    .selectFrom('packages')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.itemId) {
    const itemId = filter.itemId;
    // The subquery filters on the tenant itself rather than relying on the correlation with an already filtered
    // package: an item id of another tenant finds nothing even if a stray row linked it to this tenant's package.
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('package_items')
          .select('package_items.item_id')
          .where('package_items.partner_id', '=', scope.partnerId)
          .where('package_items.environment', '=', scope.environment)
          .whereRef('package_items.package_id', '=', 'packages.id')
          .where('package_items.item_id', '=', itemId),
      ),
    );
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const { data, hasMore, nextCursor } = toPage(rows, page.limit);
  const items = await loadPackageItems(
    deps.db,
    scope,
    data.map((r) => r.id),
  );
  return { data: data.map((r) => toPackage(r, items.get(r.id) ?? [])), hasMore, nextCursor };
}

export async function updatePackage(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
  changes: PackageChanges,
): Promise<Package> {
  const values: Partial<PackagesTable> = { updated_at: deps.clock.now().toISOString() };
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.price !== undefined) {
    values.price_amount = changes.price.amount;
    values.price_currency = changes.price.currency;
  }
  if (changes.validity !== undefined) values.validity = toJsonText(normaliseValidity(changes.validity));
  if (changes.metadata !== undefined) values.metadata = toJsonText(changes.metadata);
  return deps.db.transaction().execute(async (trx) => {
    // The conditions live in the UPDATE: a grant made concurrently bumps grant_count under the same row lock, so
    // either it sees the new items or this update sees grant_count > 0 and changes nothing.
    let query = trx
      .updateTable('packages')
      .set(values)
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', id)
      .where('status', '!=', 'retired');
    if (changes.items !== undefined) query = query.where('grant_count', '=', 0);
    const result = await query.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await findPackageRow(trx, scope, id);
      if (!current) throw notFound('package', id);
      if (current.status === 'retired') {
        throw new ProblemError(
          'conflict',
          `Package '${id}' is retired and cannot change; create a new package.`,
          {
            extensions: { currentStatus: current.status },
          },
        );
      }
      throw new ProblemError(
        'conflict',
        `Package '${id}' has been granted ${current.grant_count} time(s); its items cannot change. Publish a new package instead.`,
        { errors: [{ pointer: '/items', detail: 'cannot change once the package has been granted' }] },
      );
    }
    if (changes.items !== undefined) {
      await trx
        .deleteFrom('package_items')
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('package_id', '=', id)
        .execute();
      await insertPackageItems(trx, scope, id, changes.items);
    }
    return readPackage(trx, scope, id);
  });
}

const PACKAGE_TRANSITIONS = {
  activate: { from: 'draft', to: 'active', stamp: 'activated_at' },
  retire: { from: 'active', to: 'retired', stamp: 'retired_at' },
} as const;

/** draft → active (publish; every item must be active) and active → retired; anything else is a 409. */
export async function transitionPackage(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
  action: keyof typeof PACKAGE_TRANSITIONS,
): Promise<Package> {
  const { from, to, stamp } = PACKAGE_TRANSITIONS[action];
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('packages')
      .set({ status: to, [stamp]: now, updated_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await findPackageRow(trx, scope, id);
      if (!current) throw notFound('package', id);
      throw new ProblemError(
        'invalid_transition',
        `A package in status '${current.status}' cannot be ${action === 'activate' ? 'activated' : 'retired'}; only a '${from}' one can.`,
        { extensions: { currentStatus: current.status } },
      );
    }
    if (action === 'activate') {
      const inactive = await trx
        .selectFrom('package_items as pi')
        .innerJoin('items as i', 'i.id', 'pi.item_id')
        .select('i.id')
        .where('pi.partner_id', '=', scope.partnerId)
        .where('pi.environment', '=', scope.environment)
        .where('i.partner_id', '=', scope.partnerId)
        .where('i.environment', '=', scope.environment)
        .where('pi.package_id', '=', id)
        .where('i.active', '=', 0)
        .executeTakeFirst();
      if (inactive) {
        // Throwing rolls the status change back.
        throw new ProblemError(
          'conflict',
          `Item '${inactive.id}' of the package is inactive; reactivate it or change the items first.`,
        );
      }
    }
    return readPackage(trx, scope, id);
  });
}
