// Grants of packages to customers: a snapshot of the package's items as per-item balances, a validity window and
// the lifecycle active ⇄ suspended → revoked | expired. Every change appends to the grant's history in the same
// transaction.
import { type PageRequest, toPage, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../../internal/src/store/constraint-errors';
import { fromJsonText, toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import { toStoredTimestamp } from '../../../../internal/src/store/timestamps';
import type { EntitlementsStoreDeps, Executor } from './deps';
import { appendGrantEvent, listGrantEvents, type GrantEvent, type GrantEventType } from './grant-events';
import type { ItemType } from './items';
import { findPackageRow, loadPackageItems } from './packages';
import type { GrantBalancesTable, GrantsTable } from './schema';
import { GRANTS_TENANT_ORDER_PACKAGE } from './unique-indexes';
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
  /** Only grants whose validity ends before this instant (stored form), e.g. to remind customers to renew. */
  expiresBefore?: string;
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

/**
 * The status a grant has at `now`: a live grant whose time is up is expired even before a request has recorded it
 * (and it changed then). Lists rely on this instead of writing, so that reading many overdue grants stays a read.
 */
function effectiveState(row: GrantsTable, now: string): { status: GrantStatus; updatedAt: string } {
  const overdue = (LIVE as string[]).includes(row.status) && row.expires_at <= now;
  return overdue
    ? { status: 'expired', updatedAt: row.expires_at }
    : { status: row.status as GrantStatus, updatedAt: row.updated_at };
}

function toGrant(row: GrantsTable, balances: Balance[], now: string): Grant {
  const { status, updatedAt } = effectiveState(row, now);
  return {
    id: row.id,
    customerId: row.customer_id,
    packageId: row.package_id,
    packageName: row.package_name,
    ...(row.order_id !== null ? { orderId: row.order_id } : {}),
    status,
    startsAt: row.starts_at,
    expiresAt: row.expires_at,
    balances,
    ...(row.note !== null ? { note: row.note } : {}),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt,
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

export async function readGrant(db: Executor, scope: TenantScope, id: string, now: string): Promise<Grant> {
  const row = await findGrantRow(db, scope, id);
  if (!row) throw notFound('grant', id);
  const balances = await loadBalances(db, scope, [id]);
  return toGrant(row, balances.get(id) ?? [], now);
}

/**
 * Records the expiry of grant `grantId` if its time is up and no request has recorded it yet: one conditional
 * UPDATE … RETURNING (its status guard decides which of several racing requests writes the history; on PostgreSQL
 * the others wait for the row and then no longer match) and, only for the request that won, the `expired` event
 * dated at the expiry, in one transaction. It runs before any read or change of that one grant, so nothing depends
 * on a background job; lists compute the status instead (effectiveState), so reading many overdue grants never
 * turns into many writes, and no multi-row expiry can deadlock with another.
 */
export async function expireGrantIfDue(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const expired = await trx
      .updateTable('grants')
      // The grant changed when its time ran out, whenever this write happens; lists report the same updatedAt.
      .set((eb) => ({ status: 'expired', updated_at: eb.ref('expires_at') }))
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', grantId)
      .where('status', 'in', LIVE)
      .where('expires_at', '<=', now)
      .returning(['id', 'expires_at'])
      .execute();
    const grant = expired[0];
    if (!grant) return;
    await appendGrantEvent(trx, { newId: deps.newId, now }, scope, {
      grantId: grant.id,
      type: 'expired',
      occurredAt: grant.expires_at,
    });
  });
}

export async function createGrant(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  input: GrantInput,
): Promise<Grant> {
  const now = deps.clock.now().toISOString();
  const startsAt = input.startsAt === undefined ? undefined : toStoredTimestamp(input.startsAt, '/startsAt');
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
      return readGrant(trx, scope, id, now);
    });
  } catch (error) {
    // Only the order rule has a message of its own; any other refusal (an id collision) is not the caller's doing.
    if (violatedUniqueIndex(error, GRANTS_TENANT_ORDER_PACKAGE)) {
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
  await expireGrantIfDue(deps, scope, id);
  return readGrant(deps.db, scope, id, deps.clock.now().toISOString());
}

export async function listGrants(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  filter: GrantFilter,
  page: PageRequest,
): Promise<Page<Grant>> {
  // A read, whatever the number of overdue grants: the status filter and the representation use the status each
  // grant has now (effectiveState), so a grant is never listed as active after its expiry, and nothing is written.
  const now = deps.clock.now().toISOString();
  let query = deps.db
    .selectFrom('grants')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.packageId) query = query.where('package_id', '=', filter.packageId);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.expiresBefore) query = query.where('expires_at', '<', filter.expiresBefore);
  const status = filter.status;
  if (status === 'expired') {
    query = query.where((eb) =>
      eb.or([eb('status', '=', 'expired'), eb.and([eb('status', 'in', LIVE), eb('expires_at', '<=', now)])]),
    );
  } else if (status !== undefined) {
    query = query.where('status', '=', status);
    if (LIVE.includes(status)) query = query.where('expires_at', '>', now);
  }
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
  return {
    data: data.map((r) => toGrant(r, balances.get(r.id) ?? [], now)),
    hasMore,
    nextCursor,
  };
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
  await expireGrantIfDue(deps, scope, id);
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
    return readGrant(trx, scope, id, now);
  });
}

export async function listEventsOfGrant(
  deps: EntitlementsStoreDeps,
  scope: TenantScope,
  grantId: string,
  filter: { type?: GrantEventType },
  page: PageRequest,
): Promise<Page<GrantEvent>> {
  await expireGrantIfDue(deps, scope, grantId);
  if (!(await findGrantRow(deps.db, scope, grantId))) throw notFound('grant', grantId);
  return listGrantEvents(deps.db, scope, grantId, filter, page);
}
