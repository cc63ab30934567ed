// The status changes that move money or goods but record no payment of their own: cancel (with the automatic
// refund of a paid order), start fulfilment and complete. Each is one guarded UPDATE, so a refused or lost race
// changes nothing.
import { ProblemError } from '../../../../internal/src/problem/problem';
import { toJsonText, type TenantScope } from '../../../../internal/src/store/query-helpers';
import type { OrdersStoreDeps } from './deps';
import type { Order, Shipment } from './order-model';
import { getOrder, getOrderRow, refuse, updateWhileInStatus } from './orders';
import { findPaymentRow } from './payments';
import { invalidTransition, type OrderStatus } from './transitions';

/** How many times cancel re-reads the order when a concurrent refund changed it between the read and the write. */
const CANCEL_ATTEMPTS = 3;

export async function cancelOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  id: string,
  reason: string | undefined,
): Promise<Order> {
  for (let attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
    const row = await getOrderRow(deps.db, scope, id);
    const status = row.status as OrderStatus;
    const now = deps.clock.now().toISOString();
    const cancelled = {
      status: 'cancelled',
      cancellation_reason: reason ?? null,
      cancelled_at: now,
      updated_at: now,
    };
    if (status === 'pending') {
      const result = await deps.db
        .updateTable('orders')
        .set(cancelled)
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return getOrder(deps, scope, id);
      continue;
    }
    if (status !== 'paid') throw invalidTransition(id, 'cancel', status);

    // A paid order is cancelled only together with the refund of whatever of its payment is not refunded yet, in
    // one transaction; the guard on amount_refunded makes a concurrent partial refund restart this decision.
    const alreadyRefunded = Number(row.amount_refunded);
    const remaining = Number(row.amount_paid) - alreadyRefunded;
    const done = await deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('orders')
        .set({ ...cancelled, amount_refunded: row.amount_paid })
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .where('status', '=', 'paid')
        .where('amount_refunded', '=', alreadyRefunded)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (remaining > 0) {
        const payment = await findPaymentRow(trx, scope, id);
        if (!payment) throw new Error(`paid order ${id} has no payment`);
        await trx
          .insertInto('refunds')
          .values({
            id: deps.newId('rfd'),
            partner_id: scope.partnerId,
            environment: scope.environment,
            order_id: id,
            payment_id: payment.id,
            amount: remaining,
            currency: row.currency,
            reason: reason ? `Order cancelled: ${reason}` : 'Order cancelled',
            automatic: 1,
            created_at: now,
          })
          .execute();
      }
      return true;
    });
    if (done) return getOrder(deps, scope, id);
  }
  return refuse(deps.db, scope, id, 'cancel');
}

export async function startFulfillment(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  id: string,
): Promise<Order> {
  const now = deps.clock.now().toISOString();
  return updateWhileInStatus(
    deps,
    scope,
    id,
    'paid',
    { status: 'fulfilling', fulfillment_started_at: now, updated_at: now },
    'startFulfillment',
  );
}

export async function completeOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  id: string,
  shipment: Shipment | undefined,
): Promise<Order> {
  const row = await getOrderRow(deps.db, scope, id);
  const status = row.status as OrderStatus;
  if (status !== 'fulfilling') throw invalidTransition(id, 'complete', status);
  if (shipment && Number(row.requires_shipping) === 0) {
    throw new ProblemError('unprocessable', 'An order without goods has nothing to ship.', {
      errors: [{ pointer: '/shipment', detail: 'only an order with goods lines can have a shipment' }],
    });
  }
  const now = deps.clock.now().toISOString();
  return updateWhileInStatus(
    deps,
    scope,
    id,
    'fulfilling',
    {
      status: 'completed',
      completed_at: now,
      updated_at: now,
      ...(shipment ? { shipment: toJsonText(shipment) } : {}),
    },
    'complete',
  );
}
