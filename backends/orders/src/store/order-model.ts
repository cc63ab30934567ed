// What an order, a payment and a refund look like on the wire, and how their rows become that shape.
import { fromJsonText } from '../../../../internal/src/store/query-helpers';
import type { OrderItemsTable, OrdersTable, PaymentsTable, RefundsTable } from './schema';
import type { OrderStatus } from './transitions';

export interface Money {
  /** Integer minor units (fen, cents). */
  amount: number;
  currency: string;
}

export interface GoodsLineInput {
  type: 'goods';
  sku: string;
  name: string;
  quantity: number;
  unitPrice: Money;
}

export interface ServiceLineInput {
  type: 'service';
  packageId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
}

export type OrderLineInput = GoodsLineInput | ServiceLineInput;

export type OrderLine = OrderLineInput & { id: string; amount: Money };

export interface ShippingAddress {
  recipient: string;
  phone: string;
  line1: string;
  line2?: string;
  district?: string;
  city: string;
  province: string;
  postalCode?: string;
  country: string;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

export interface OrderTotals {
  subtotal: Money;
  discount: Money;
  total: Money;
  amountPaid: Money;
  amountRefunded: Money;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  items: OrderLine[];
  totals: OrderTotals;
  requiresShipping: boolean;
  shippingAddress?: ShippingAddress;
  shipment?: Shipment;
  notes?: string;
  cancellationReason?: string;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  fulfillmentStartedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
  refundedAt?: string;
}

export type PaymentMethod = 'wechat_pay' | 'alipay' | 'card' | 'bank_transfer' | 'cash';

export interface Payment {
  id: string;
  orderId: string;
  method: PaymentMethod;
  amount: Money;
  transactionReference?: string;
  createdAt: string;
}

export interface Refund {
  id: string;
  orderId: string;
  paymentId: string;
  amount: Money;
  reason: string;
  automatic: boolean;
  createdAt: string;
}

export function toOrder(row: OrdersTable, items: OrderItemsTable[]): Order {
  const money = (amount: number): Money => ({ amount: Number(amount), currency: row.currency });
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status as OrderStatus,
    currency: row.currency,
    items: [...items].sort((a, b) => a.position - b.position).map((item) => toLine(item, row.currency)),
    totals: {
      subtotal: money(row.subtotal_amount),
      discount: money(row.discount_amount),
      total: money(row.total_amount),
      amountPaid: money(row.amount_paid),
      amountRefunded: money(row.amount_refunded),
    },
    requiresShipping: Number(row.requires_shipping) === 1,
    ...optional('shippingAddress', fromJsonText<ShippingAddress | null>(row.shipping_address, null)),
    ...optional('shipment', fromJsonText<Shipment | null>(row.shipment, null)),
    ...optional('notes', row.notes),
    ...optional('cancellationReason', row.cancellation_reason),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...optional('paidAt', row.paid_at),
    ...optional('fulfillmentStartedAt', row.fulfillment_started_at),
    ...optional('completedAt', row.completed_at),
    ...optional('cancelledAt', row.cancelled_at),
    ...optional('refundedAt', row.refunded_at),
  };
}

function toLine(item: OrderItemsTable, currency: string): OrderLine {
  const common = {
    id: item.id,
    name: item.name,
    quantity: Number(item.quantity),
    unitPrice: { amount: Number(item.unit_price_amount), currency },
    amount: { amount: Number(item.amount), currency },
  };
  return item.type === 'goods'
    ? { type: 'goods', sku: item.sku ?? '', ...common }
    : { type: 'service', packageId: item.package_id ?? '', ...common };
}

export function toPayment(row: PaymentsTable): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    method: row.method as PaymentMethod,
    amount: { amount: Number(row.amount), currency: row.currency },
    ...(row.transaction_reference !== null ? { transactionReference: row.transaction_reference } : {}),
    createdAt: row.created_at,
  };
}

export function toRefund(row: RefundsTable): Refund {
  return {
    id: row.id,
    orderId: row.order_id,
    paymentId: row.payment_id,
    amount: { amount: Number(row.amount), currency: row.currency },
    reason: row.reason,
    automatic: Number(row.automatic) === 1,
    createdAt: row.created_at,
  };
}
