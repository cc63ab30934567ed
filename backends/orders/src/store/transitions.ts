// The order status machine: which operation may start from which status. The store guards every write with it
// (a conditional UPDATE on the allowed statuses), so a refused transition changes nothing, even under races.
import { ProblemError } from '../../../../internal/src/problem/problem';

export const ORDER_STATUSES = [
  'pending',
  'paid',
  'fulfilling',
  'completed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderAction = 'update' | 'pay' | 'cancel' | 'startFulfillment' | 'complete' | 'refund';

/**
 * The statuses each operation may start from. `cancel` from `paid` refunds the payment in full (so a cancelled
 * order never holds money); once fulfilment has started an order can only be refunded. A refund that brings
 * amountRefunded up to amountPaid moves the order to `refunded`.
 */
export const ALLOWED_FROM: Readonly<Record<OrderAction, readonly OrderStatus[]>> = {
  update: ['pending'],
  pay: ['pending'],
  cancel: ['pending', 'paid'],
  startFulfillment: ['paid'],
  complete: ['fulfilling'],
  refund: ['paid', 'fulfilling', 'completed'],
};

const RULE: Readonly<Record<OrderAction, string>> = {
  update: 'only a pending order can be changed',
  pay: 'only a pending order can be paid',
  cancel: 'only a pending or paid order can be cancelled; refund it instead',
  startFulfillment: 'only a paid order can start fulfilment',
  complete: 'only an order being fulfilled can be completed',
  refund: 'only a paid, fulfilling or completed order can be refunded',
};

export function canStart(action: OrderAction, status: OrderStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

/** The 409 for a refused transition; `currentStatus` (RFC 9457 §3.2 extension) lets a program decide what next. */
export function invalidTransition(orderId: string, action: OrderAction, current: OrderStatus): ProblemError {
  return new ProblemError('invalid_transition', `Order '${orderId}' is '${current}'; ${RULE[action]}.`, {
    extensions: { currentStatus: current },
  });
}
