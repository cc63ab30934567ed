// Records the payment that settles an order, and reads payments. An order is paid at most once: the status moves
// pending → paid in a guarded UPDATE in the same transaction as the payment insert, and a unique index on the
// payment's (tenant, order) backs that up, on SQLite and PostgreSQL alike.
import { fetchPage } from '../../../../internal/src/store/paging';
import type { Kysely } from 'kysely';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../../internal/src/store/constraint-errors';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import type { OrdersStoreDeps } from './deps';
import { PAYMENTS_ORDER_INDEX } from './migrations';
import { toPayment, type Money, type Payment, type PaymentMethod } from './order-model';
import { getOrderRow, refuse } from './orders';
import type { OrdersTables, PaymentsTable } from './schema';
import { invalidTransition, type OrderStatus } from './transitions';

export interface PaymentInput {
  method: PaymentMethod;
  amount: Money;
  transactionReference?: string;
}

export async function payOrder(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  orderId: string,
  input: PaymentInput,
): Promise<Payment> {
  const order = await getOrderRow(deps.db, scope, orderId);
  const status = order.status as OrderStatus;
  if (status !== 'pending') throw invalidTransition(orderId, 'pay', status);
  // Lines and discount cannot change once placed, so the amount due read here is still the amount due below.
  const due = Number(order.total_amount) - Number(order.amount_paid);
  if (input.amount.currency !== order.currency) {
    throw new ProblemError('unprocessable', `The order is in ${order.currency}.`, {
      errors: [{ pointer: '/amount/currency', detail: `must be the order's currency ${order.currency}` }],
    });
  }
  if (input.amount.amount !== due) {
    throw new ProblemError(
      'unprocessable',
      `Partial payments are not supported: the amount must be the outstanding total, ${due}.`,
      { errors: [{ pointer: '/amount/amount', detail: `must equal the outstanding total ${due}` }] },
    );
  }
  const now = deps.clock.now().toISOString();
  const payment: PaymentsTable = {
    id: deps.newId('pay'),
    partner_id: scope.partnerId,
    environment: scope.environment,
    order_id: orderId,
    method: input.method,
    amount: due,
    currency: order.currency,
    transaction_reference: input.transactionReference ?? null,
    created_at: now,
  };
  let paid: boolean;
  try {
    paid = await deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('orders')
        .set({ status: 'paid', amount_paid: due, paid_at: now, updated_at: now })
        .where('partner_id', '=', scope.partnerId)
        .where('environment', '=', scope.environment)
        .where('id', '=', orderId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await trx.insertInto('payments').values(payment).execute();
      return true;
    });
  } catch (error) {
    // The unique index is the last line of defence: the status guard above already lets one payment through.
    // Should a payment row exist anyway, the transaction is rolled back and the caller gets a 409, never a 500.
    if (!violatedUniqueIndex(error, PAYMENTS_ORDER_INDEX)) throw error;
    const latest = await getOrderRow(deps.db, scope, orderId);
    throw alreadyHasPayment(orderId, latest.status as OrderStatus, error);
  }
  if (!paid) await refuse(deps.db, scope, orderId, 'pay');
  return toPayment(payment);
}

function alreadyHasPayment(orderId: string, status: OrderStatus, cause: unknown): ProblemError {
  return new ProblemError('conflict', `Order '${orderId}' already has a payment; an order is paid once.`, {
    extensions: { currentStatus: status },
    cause,
    internalMessage: `payments unique index refused a second payment of ${orderId}`,
  });
}

/** The payment of an order (there is at most one), read with `db` or inside a transaction. */
export async function findPaymentRow(
  db: Kysely<OrdersTables>,
  scope: TenantScope,
  orderId: string,
): Promise<PaymentsTable | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

export async function getPayment(deps: OrdersStoreDeps, scope: TenantScope, id: string): Promise<Payment> {
  const row = await deps.db
    .selectFrom('payments')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('payment', id);
  return toPayment(row);
}

export async function listOrderPayments(
  deps: OrdersStoreDeps,
  scope: TenantScope,
  orderId: string,
  page: PageRequest,
): Promise<Page<Payment>> {
  await getOrderRow(deps.db, scope, orderId);
  const query = deps.db
    .selectFrom('payments')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('order_id', '=', orderId);
  return fetchPage(query, page, toPayment);
}
