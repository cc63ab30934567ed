// Request bodies and helpers shared by the Orders tests: valid orders, and orders driven through the API into any
// status, so that each test states only what it is about.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import type { Order } from './store/order-model';
import type { OrderStatus } from './store/transitions';

export const CUSTOMER_ID = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB';
export const PACKAGE_ID = 'pkg_01JDQ9P4N6T1V9KX2M5Q8W0ZAC';

export const SHIPPING_ADDRESS = {
  recipient: 'Zhang Min',
  phone: '+86 21 5555 0100',
  line1: '88 Huaihai Middle Road',
  district: 'Huangpu',
  city: 'Shanghai',
  province: 'Shanghai',
  postalCode: '200021',
  country: 'CN',
};

export const cny = (amount: number) => ({ amount, currency: 'CNY' });

export function goodsLine(overrides: Record<string, unknown> = {}) {
  return {
    type: 'goods',
    sku: 'OMRON-U10',
    name: 'Omron U10 upper-arm blood pressure monitor',
    quantity: 2,
    unitPrice: cny(29900),
    ...overrides,
  };
}

export function serviceLine(overrides: Record<string, unknown> = {}) {
  return {
    type: 'service',
    packageId: PACKAGE_ID,
    name: 'Hypertension care package, 12 months',
    quantity: 1,
    unitPrice: cny(128000),
    ...overrides,
  };
}

/** Goods 2 × 299.00 + service 1 × 1280.00 − 78.00 discount = 1800.00 CNY. */
export function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    customerId: CUSTOMER_ID,
    currency: 'CNY',
    items: [goodsLine(), serviceLine()],
    discount: cny(7800),
    shippingAddress: SHIPPING_ADDRESS,
    ...overrides,
  };
}

export const ORDER_TOTAL = 180000;

async function ok<T>(
  promise: Promise<{ status: number; body: T; text: string }>,
  status: number,
): Promise<T> {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body;
}

/** Creates an order and drives it through the API into `status`. */
export async function orderIn(
  client: ContractClient,
  status: OrderStatus,
  body: Record<string, unknown> = orderBody(),
): Promise<Order> {
  let order = await ok<Order>(client.call('createOrder', { body }), 201);
  const params = { orderId: order.id };
  const pay = () =>
    ok(client.call('payOrder', { params, body: { method: 'alipay', amount: order.totals.total } }), 201);
  switch (status) {
    case 'pending':
      break;
    case 'cancelled':
      order = await ok<Order>(client.call('cancelOrder', { params }), 200);
      break;
    case 'refunded':
      await pay();
      await ok(client.call('refundOrder', { params, body: { reason: 'Customer request' } }), 201);
      break;
    case 'paid':
    case 'fulfilling':
    case 'completed':
      await pay();
      if (status !== 'paid') await ok(client.call('startFulfillment', { params }), 200);
      if (status === 'completed') await ok(client.call('completeOrder', { params }), 200);
      break;
  }
  return ok<Order>(client.call('getOrder', { params }), 200);
}
