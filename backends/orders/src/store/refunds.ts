// Records refunds and reads them. The refunds of an order never add up to more than its payment: the amount is
// added to amount_refunded in one UPDATE guarded by `amount_refunded + x <= amount_paid`, so concurrent partial
// refunds are serialised by the database row lock (PostgreSQL) or the single writer (SQLite), never by a read.
import { fetchPage } from '../../../../internal/src/store/paging';
import { sql } from 'kysely';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import type { OrdersStoreDeps } from './deps';
import { toRefund, type Money, type Refund } from './order-model';
import { getOrderRow, refuse } from './orders';
import { findPaymentRow } from './payments';
import type { RefundsTable } from './schema';
import { ALLOWED_FROM, canStart, invalidTransition, type OrderStatus } from './transitions';

export interface RefundInput {
  /** Absent: everything not refunded yet. */
  amount?: Money;
  reason: string;
}

export async function refundOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  orderId: string,
  input: RefundInput,
): Promise<Refund> {
  const order = await getOrderRow(deps.db, scope, orderId);
  const status = order.status as OrderStatus;
  if (!canStart('refund', status)) throw invalidTransition(orderId, 'refund', status);
  if (input.amount && input.amount.currency !== order.currency) {
    throw new ProblemError('unprocessable', `The order is in ${order.currency}.`, {
      errors: [{ pointer: '/amount/currency', detail: `must be the order's currency ${order.currency}` }],
    });
  }
  const refundable = Number(order.amount_paid) - Number(order.amount_refunded);
  const amount = input.amount?.amount ?? refundable;
  if (amount <= 0 || amount > refundable) throw exceedsRefundable(orderId, status, refundable);

  const payment = await findPaymentRow(deps.db, scope, orderId);
  if (!payment) throw new Error(`order ${orderId} is '${status}' but has no payment`);
  const now = deps.clock.now().toISOString();
  const refund: RefundsTable = {
    id: deps.newId('rfd'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    order_id: orderId,
    payment_id: payment.id,
    amount,
    currency: order.currency,
    reason: input.reason,
    automatic: 0,
    created_at: now,
  };
  // All SET expressions see the row before the update, so `amount_refunded + x = amount_paid` means "this refund
  // completes it".
  const completes = sql<boolean>`amount_refunded + ${amount} = amount_paid`;
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('orders')
      .set({
        amount_refunded: sql<number>`amount_refunded + ${amount}`,
        status: sql<string>`case when ${completes} then 'refunded' else status end`,
        refunded_at: sql<string | null>`case when ${completes} then ${now} else refunded_at end`,
        updated_at: now,
      })
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('id', '=', orderId)
      .where('status', 'in', [...ALLOWED_FROM.refund])
      .where(sql<boolean>`amount_refunded + ${amount} <= amount_paid`)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx.insertInto('refunds').values(refund).execute();
    return true;
  });
  if (!recorded) {
    // Lost a race: either the status changed (refuse says so) or other refunds took what was left.
    const latest = await getOrderRow(deps.db, scope, orderId);
    const current = latest.status as OrderStatus;
    if (!canStart('refund', current)) await refuse(deps.db, scope, orderId, 'refund');
    throw exceedsRefundable(orderId, current, Number(latest.amount_paid) - Number(latest.amount_refunded));
  }
  return toRefund(refund);
}

function exceedsRefundable(orderId: string, status: OrderStatus, refundable: number): ProblemError {
  return new ProblemError(
    'conflict',
    `Order '${orderId}' has ${refundable} minor units left to refund; a refund must be between 1 and that.`,
    { extensions: { currentStatus: status } },
  );
}

export async function getRefund(deps: OrdersStoreDeps, scope: TenantScope, id: string): Promise<Refund> {
  const row = await deps.db
    .selectFrom('refunds')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('refund', id);
  return toRefund(row);
}

export async function listOrderRefunds(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  orderId: string,
  page: PageRequest,
): Promise<Page<Refund>> {
  await getOrderRow(deps.db, scope, orderId);
  const query = deps.db
    .selectFrom('refunds')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('order_id', '=', orderId);
  return fetchPage(query, page, toRefund);
}
