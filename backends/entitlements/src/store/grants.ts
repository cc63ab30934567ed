// Grants of packages to customers: a snapshot of the package's items as per-item balances, a validity window and
// the lifecycle active ⇄ suspended → revoked | expired. Every change appends to the grant's history in the same
// transaction.
import { type PageRequest, toPage, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { fromJsonText, toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { EntitlementsStoreDeps, Executor } from './deps';
import { appendGrantEvent, listGrantEvents, type GrantEvent, type GrantEventType } from './grant-events';
import type { ItemType } from './items';
import { findPackageRow, loadPackageItems } from './packages';
import type { GrantBalancesTable, GrantsTable } from './schema';
import { toStoredTimestamp } from './timestamps';
import { isUniqueViolation } from './unique-violation';
import { grantWindow, type Validity } from './validity';

export type GrantStatus = 'active' | 'suspended' | 'revoked' | 'expired';

export interface Balance {
  itemId: string;
  name: string;
  type: ItemType;
  unit: string;
  granted: number;
  used: number;
  remaining: number;
}

export interface Grant {
  id: string;
  customerId: string;
  packageId: string;
  packageName: string;
  orderId?: string;
  status: GrantStatus;
  startsAt: string;
  expiresAt: string;
  balances: Balance[];
  note?: string;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface GrantInput {
  customerId: string;
  packageId: string;
  orderId?: string;
  startsAt?: string;
  note?: string;
  metadata?: Record<string, string>;
}

export interface GrantFilter {
  customerId?: string;
  packageId?: string;
  orderId?: string;
  status?: GrantStatus;
}

/** Statuses in which a grant still runs, and so can expire. */
const LIVE: GrantStatus[] = ['active', 'suspended'];

function toBalance(row: GrantBalancesTable): Balance {
  return {
    itemId: row.item_id,
    name: row.item_name,
    type: row.item_type as ItemType,
    unit: row.unit,
    granted: Number(row.granted),
    used: Number(row.used),
    remaining: Number(row.remaining),
  };
}

function toGrant(row: GrantsTable, balances: Balance[]): Grant {
  return {
    id: row.id,
    customerId: row.customer_id,
    packageId: row.package_id,
    packageName: row.package_name,
    ...(row.order_id !== null ? { orderId: row.order_id } : {}),
    status: row.status as GrantStatus,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    balances,
    ...(row.note !== null ? { note: row.note } : {}),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function loadBalances(
  db: Executor,
  scope: TenantScope,
  grantIds: string[],
): Promise<Map<string, Balance[]>> {
  const byGrant = new Map<string, Balance[]>(grantIds.map((id) => [id, []]));
  if (grantIds.length === 0) return byGrant;
  const rows = await db
    .selectFrom('grant_balances')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('grant_id', 'in', grantIds)
    .orderBy('grant_id')
    .orderBy('position')
    .execute();
  for (const row of rows) byGrant.get(row.grant_id)?.push(toBalance(row));
  return byGrant;
}

export async function findGrantRow(
  db: Executor,
  scope: TenantScope,
  id: string,
): Promise<GrantsTable | undefined> {
  return db
    .selectFrom('grants')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function readGrant(db: Executor, scope: TenantScope, id: string): Promise<Grant> {
  const row = await findGrantRow(db, scope, id);
  if (!row) throw notFound('grant', id);
  const balances = await loadBalances(db, scope, [id]);
  return toGrant(row, balances.get(id) ?? []);
}

/**
 * Moves the tenant's live grants whose expiry has passed (or just `grantId`) to `expired`, each with its `expired`
 * event. Expiry is applied lazily, before any read or change of a grant, so nothing depends on a background job.
 * The UPDATE repeats the condition, so two requests racing here record the expiry once.
 */
export async function expireDueGrants(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId?: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  let query = deps.db
    .selectFrom('grants')
    .select(['id', 'expires_at'])
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('status', 'in', LIVE)
    .where('expires_at', '<=', now);
  if (grantId !== undefined) query = query.where('id', '=', grantId);
  const due = await query.execute();
  for (const grant of due) {
    await deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('grants')
        .set({ status: 'expired', updated_at: now })
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', grant.id)
        .where('status', 'in', LIVE)
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return;
      await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
        grantId: grant.id,
        type: 'expired',
        occurredAt: grant.expires_at,
      });
    });
  }
}

export async function createGrant(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  input: GrantInput,
): Promise<Grant> {
  const now = deps.clock.now().toISOString();
  const startsAt = input.startsAt === undefined ? undefined : toStoredTimestamp(input.startsAt);
  const id = deps.newId('grt');
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // Counting the grant on the package first takes its row lock: an update of the package's items waits for
      // this transaction and then sees grant_count > 0, so a grant never snapshots items that are being replaced.
      const counted = await trx
        .updateTable('packages')
        .set((eb) => ({ grant_count: eb('grant_count', '+', 1) }))
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', input.packageId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      const pkg = await findPackageRow(trx, scope, input.packageId);
      if (!pkg) {
        throw new ProblemError('unprocessable', `No package with id '${input.packageId}' exists.`, {
          errors: [{ pointer: '/packageId', detail: 'no such package' }],
        });
      }
      if (Number(counted.numUpdatedRows) === 0) {
        throw new ProblemError(
          'conflict',
          `Package '${pkg.id}' is ${pkg.status}; only an active package can be granted.`,
          { extensions: { packageStatus: pkg.status } },
        );
      }
      const window = grantWindow(
        fromJsonText<Validity>(pkg.validity, { kind: 'rolling', days: 1 }),
        now,
        startsAt,
      );
      const items = (await loadPackageItems(trx, scope, [pkg.id])).get(pkg.id) ?? [];
      const row: GrantsTable = {
        id,
        partner_id: scope.partnerId,
        environment: scope.environment,
        customer_id: input.customerId,
        package_id: pkg.id,
        package_name: pkg.name,
        order_id: input.orderId ?? null,
        status: 'active',
        starts_at: window.startsAt,
        expires_at: window.expiresAt,
        note: input.note ?? null,
        metadata: toJsonText(input.metadata ?? {}),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('grants').values(row).execute();
      await trx
        .insertInto('grant_balances')
        .values(
          items.map((item, position) => ({
            partner_id: scope.partnerId,
            environment: scope.environment,
            grant_id: id,
            item_id: item.itemId,
            item_name: item.name,
            item_type: item.type,
            unit: item.unit,
            granted: item.quantity,
            used: 0,
            remaining: item.quantity,
            position,
          })),
        )
        .execute();
      await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
        grantId: id,
        type: 'granted',
        occurredAt: now,
      });
      return readGrant(trx, scope, id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ProblemError(
        'already_exists',
        `Order '${input.orderId}' has already been granted package '${input.packageId}'.`,
        { errors: [{ pointer: '/orderId', detail: 'already granted this package' }], cause: error },
      );
    }
    throw error;
  }
}

export async function getGrant(deps: EntitlementsStoreDeps, scope: TenantScope, id: string): Promise<Grant> {
  await expireDueGrants(deps, scope, id);
  return readGrant(deps.db, scope, id);
}

export async function listGrants(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  filter: GrantFilter,
  page: PageRequest,
): Promise<Page<Grant>> {
  // A status filter must not return a grant as active after its expiry.
  await expireDueGrants(deps, scope);
  let query = deps.db
    .selectFrom('grants')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.packageId) query = query.where('package_id', '=', filter.packageId);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const { data, hasMore, nextCursor } = toPage(rows, page.limit);
  const balances = await loadBalances(
    deps.db,
    scope,
    data.map((r) => r.id),
  );
  return { data: data.map((r) => toGrant(r, balances.get(r.id) ?? [])), hasMore, nextCursor };
}

const GRANT_TRANSITIONS = {
  suspend: { from: ['active'], to: 'suspended', event: 'suspended' },
  resume: { from: ['suspended'], to: 'active', event: 'resumed' },
  revoke: { from: ['active', 'suspended'], to: 'revoked', event: 'revoked' },
} as const satisfies Record<string, { from: GrantStatus[]; to: GrantStatus; event: GrantEventType }>;

export type GrantAction = keyof typeof GRANT_TRANSITIONS;

/** suspend (active → suspended), resume (suspended → active), revoke (active | suspended → revoked). */
export async function transitionGrant(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  id: string,
  action: GrantAction,
  reason: string | undefined,
): Promise<Grant> {
  const { from, to, event } = GRANT_TRANSITIONS[action];
  await expireDueGrants(deps, scope, id);
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('grants')
      .set({ status: to, updated_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', id)
      .where('status', 'in', [...from])
      // A grant whose time is up is expired even if no request has recorded it yet.
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await findGrantRow(trx, scope, id);
      if (!current) throw notFound('grant', id);
      const status = current.expires_at <= now ? 'expired' : current.status;
      throw new ProblemError(
        'invalid_transition',
        `A grant in status '${status}' cannot be ${event}; only a grant that is ${from.join(' or ')} can.`,
        { extensions: { currentStatus: status } },
      );
    }
    await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
      grantId: id,
      type: event,
      occurredAt: now,
      ...(reason !== undefined ? { reason } : {}),
    });
    return readGrant(trx, scope, id);
  });
}

export async function listEventsOfGrant(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  filter: { type?: GrantEventType },
  page: PageRequest,
): Promise<Page<GrantEvent>> {
  await expireDueGrants(deps, scope, grantId);
  if (!(await findGrantRow(deps.db, scope, grantId))) throw notFound('grant', grantId);
  return listGrantEvents(deps.db, scope, grantId, filter, page);
}
