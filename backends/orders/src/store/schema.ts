// The order centre's tables as Kysely sees them. Every table carries partner_id and environment: all queries filter
// on both. Portable types only (STACK.md pitfall 9): text ids and ISO timestamps, JSON as text, integer money.
export interface OrdersTable {
  id: string;
  partner_id: string;
  environment: string;
  customer_id: string;
  status: string;
  currency: string;
  /** Money columns are integer minor units of `currency`, computed by the server. */
  subtotal_amount: number;
  discount_amount: number;
  total_amount: number;
  amount_paid: number;
  amount_refunded: number;
  /** 1 when any line is goods (so a shipping address is required), else 0. */
  requires_shipping: number;
  shipping_address: string | null;
  shipment: string | null;
  notes: string | null;
  cancellation_reason: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  fulfillment_started_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  refunded_at: string | null;
}

export interface OrderItemsTable {
  id: string;
  partner_id: string;
  environment: string;
  order_id: string;
  /** The line's place in the order as given (0-based). */
  position: number;
  type: string;
  sku: string | null;
  package_id: string | null;
  name: string;
  quantity: number;
  unit_price_amount: number;
  amount: number;
}

export interface PaymentsTable {
  id: string;
  partner_id: string;
  environment: string;
  order_id: string;
  method: string;
  amount: number;
  currency: string;
  transaction_reference: string | null;
  created_at: string;
}

export interface RefundsTable {
  id: string;
  partner_id: string;
  environment: string;
  order_id: string;
  payment_id: string;
  amount: number;
  currency: string;
  reason: string;
  /** 1 for the refund made by cancelling a paid order, else 0. */
  automatic: number;
  created_at: string;
}

export interface OrdersTables {
  orders: OrdersTable;
  order_items: OrderItemsTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
}
