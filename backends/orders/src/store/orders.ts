// Creates, reads, lists and edits orders for one tenant; the only place that knows how an order is stored.
// Status changes live in lifecycle.ts, payments.ts and refunds.ts.
import type { Kysely } from 'kysely';
import { type PageRequest, toPage, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { OrdersStoreDeps } from './deps';
import { toOrder, type Money, type Order, type OrderLineInput, type ShippingAddress } from './order-model';
import type { OrderItemsTable, OrdersTable, OrdersTables } from './schema';
import { computeTotals } from './totals';
import { canStart, invalidTransition, type OrderAction, type OrderStatus } from './transitions';

export interface OrderInput {
  customerId: string;
  currency: string;
  items: OrderLineInput[];
  discount?: Money;
  shippingAddress?: ShippingAddress;
  notes?: string;
  metadata?: Record<string, string>;
}

export interface OrderChanges {
  notes?: string | null;
  shippingAddress?: ShippingAddress | null;
  metadata?: Record<string, string>;
}

export interface OrderFilter {
  customerId?: string;
  status?: OrderStatus;
  /** Inclusive lower bound of createdAt (ISO-8601, UTC). */
  createdFrom?: string;
  /** Exclusive upper bound of createdAt (ISO-8601, UTC). */
  createdTo?: string;
}

export async function createOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  input: OrderInput,
): Promise<Order> {
  const totals = computeTotals(input);
  const requiresShipping = input.items.some((item) => item.type === 'goods');
  if (requiresShipping && !input.shippingAddress) {
    throw new ProblemError('unprocessable', 'An order with goods needs a shipping address.', {
      errors: [{ pointer: '/shippingAddress', detail: 'required when any line is goods' }],
    });
  }
  const now = deps.clock.now().toISOString();
  const order: OrdersTable = {
    id: deps.newId('ord'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    customer_id: input.customerId,
    status: 'pending',
    currency: input.currency,
    subtotal_amount: totals.subtotal,
    discount_amount: totals.discount,
    total_amount: totals.total,
    amount_paid: 0,
    amount_refunded: 0,
    requires_shipping: requiresShipping ? 1 : 0,
    shipping_address: input.shippingAddress ? toJsonText(input.shippingAddress) : null,
    shipment: null,
    notes: input.notes ?? null,
    cancellation_reason: null,
    metadata: toJsonText(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
    paid_at: null,
    fulfillment_started_at: null,
    completed_at: null,
    cancelled_at: null,
    refunded_at: null,
  };
  const items: OrderItemsTable[] = input.items.map((item, position) => ({
    id: deps.newId('itm'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    order_id: order.id,
    position,
    type: item.type,
    sku: item.type === 'goods' ? item.sku : null,
    package_id: item.type === 'service' ? item.packageId : null,
    name: item.name,
    quantity: item.quantity,
    unit_price_amount: item.unitPrice.amount,
    amount: totals.lineAmounts[position] ?? 0,
  }));
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('orders').values(order).execute();
    await trx.insertInto('order_items').values(items).execute();
  });
  return toOrder(order, items);
}

/** The order row of this tenant, or undefined (another tenant's order is as absent as a missing one). */
export async function findOrderRow(
  db: Kysely<OrdersTables>,
  scope: TenantScope,
  id: string,
): Promise<OrdersTable | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getOrderRow(
  db: Kysely<OrdersTables>,
  scope: TenantScope,
  id: string,
): Promise<OrdersTable> {
  const row = await findOrderRow(db, scope, id);
  if (!row) throw notFound('order', id);
  return row;
}

export async function getOrder(deps: OrdersStoreDeps, scope: TenantScope, id: string): Promise<Order> {
  const [order] = await withItems(deps.db, scope, [await getOrderRow(deps.db, scope, id)]);
  return order!;
}

/**
 * After a guarded UPDATE matched no row, says why from the order as it is now: gone (404), or in a status the
 * action cannot start from (409 invalid_transition with currentStatus), or changed by a concurrent request in a way
 * the guard caught (409 conflict: retrying is safe). Always throws.
 */
/**
 * Applies `values` to the order only while it is still in status `from` — one guarded UPDATE, atomic on both engines —
 * and returns it; otherwise refuses with the reason its current state gives (see refuse).
 */
export async function updateWhileInStatus(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  id: string,
  from: OrderStatus,
  values: Partial<OrdersTable>,
  action: OrderAction,
): Promise<Order> {
  const result = await deps.db
    .updateTable('orders')
    .set(values)
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) await refuse(deps.db, scope, id, action);
  return getOrder(deps, scope, id);
}

export async function refuse(
  db: Kysely<OrdersTables>,
  scope: TenantScope,
  id: string,
  action: OrderAction,
): Promise<never> {
  const row = await getOrderRow(db, scope, id);
  const status = row.status as OrderStatus;
  if (!canStart(action, status)) throw invalidTransition(id, action, status);
  throw new ProblemError('conflict', `Order '${id}' changed while this request was processed; retry it.`, {
    extensions: { currentStatus: status },
  });
}

export async function listOrders(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  filter: OrderFilter,
  page: PageRequest,
): Promise<Page<Order>> {
  let query = deps.db
    .selectFrom('orders')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment);
  if (page.afterId) query = query.where('id', '<', page.afterId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  // Timestamps are stored as ISO-8601 UTC text of fixed width, so text order is time order.
  if (filter.createdFrom) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo) query = query.where('created_at', '<', filter.createdTo);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const result = toPage(rows, page.limit);
  return { ...result, data: await withItems(deps.db, scope, result.data) };
}

export async function updateOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  id: string,
  changes: OrderChanges,
): Promise<Order> {
  const current = await getOrderRow(deps.db, scope, id);
  if (!canStart('update', current.status as OrderStatus)) {
    throw invalidTransition(id, 'update', current.status as OrderStatus);
  }
  if (changes.shippingAddress === null && Number(current.requires_shipping) === 1) {
    throw new ProblemError('unprocessable', 'An order with goods needs a shipping address.', {
      errors: [{ pointer: '/shippingAddress', detail: 'cannot be cleared while the order has goods' }],
    });
  }
  const values: Partial<OrdersTable> = { updated_at: deps.clock.now().toISOString() };
  if (changes.notes !== undefined) values.notes = changes.notes;
  if (changes.shippingAddress !== undefined) {
    values.shipping_address = changes.shippingAddress === null ? null : toJsonText(changes.shippingAddress);
  }
  if (changes.metadata !== undefined) values.metadata = toJsonText(changes.metadata);
  // Guarded on the status: a payment that lands between the read above and this write wins, and we refuse.
  return updateWhileInStatus(deps, scope, id, 'pending', values, 'update');
}

/** Attaches the lines of each order (one query for the whole page). */
export async function withItems(
  db: Kysely<OrdersTables>,
  scope: TenantScope,
  rows: OrdersTable[],
): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('order_items')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where(
      'order_id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  const byOrder = new Map<string, OrderItemsTable[]>();
  for (const item of items) {
    const list = byOrder.get(item.order_id) ?? [];
    list.push(item);
    byOrder.set(item.order_id, list);
  }
  return rows.map((row) => toOrder(row, byOrder.get(row.id) ?? []));
}
