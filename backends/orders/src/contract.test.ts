// Contract tests for the Orders backend: every operation of specs/orders is called, and every response — success or
// error — is validated against the spec by the client. The last test fails if an operation was never called.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import {
  CUSTOMER_ID,
  ORDER_TOTAL,
  SHIPPING_ADDRESS,
  cny,
  orderBody,
  orderIn,
  serviceLine,
} from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';

const MISSING_ORDER = 'ord_01JDQ7X3S4T1V9KX2M5Q8W0ZAB';

describeEachStore('Orders contract', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  describe('orders', () => {
    test('creates a pending order with server-computed totals and reads it back', async () => {
      const created = await svc.client.call('createOrder', {
        body: orderBody({ notes: 'Deliver before 10:00.', metadata: { branch: 'huangpu-01' } }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(new RegExp(`/orders/v1/orders/${created.body.id}$`));
      expect(created.body).toMatchObject({
        customerId: CUSTOMER_ID,
        status: 'pending',
        currency: 'CNY',
        requiresShipping: true,
        shippingAddress: SHIPPING_ADDRESS,
        notes: 'Deliver before 10:00.',
        metadata: { branch: 'huangpu-01' },
        totals: {
          subtotal: cny(187800),
          discount: cny(7800),
          total: cny(ORDER_TOTAL),
          amountPaid: cny(0),
          amountRefunded: cny(0),
        },
      });
      expect(created.body.items.map((i: { type: string; amount: unknown }) => [i.type, i.amount])).toEqual([
        ['goods', cny(59800)],
        ['service', cny(128000)],
      ]);
      const got = await svc.client.call('getOrder', { params: { orderId: created.body.id } });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);
    });

    test('lists the orders of a customer newest first', async () => {
      const customerId = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZCC';
      const first = await orderIn(svc.client, 'pending', orderBody({ customerId }));
      const second = await orderIn(svc.client, 'paid', orderBody({ customerId }));
      const res = await svc.client.call('listOrders', { query: { customerId } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [second, first], hasMore: false, nextCursor: null });
    });

    test('answers 404 for an order that does not exist', async () => {
      const res = await svc.client.call('getOrder', { params: { orderId: MISSING_ORDER } });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    });

    test('updates notes, metadata and the shipping address of a pending order; null clears notes', async () => {
      const order = await orderIn(svc.client, 'pending', orderBody({ notes: 'first' }));
      const moved = { ...SHIPPING_ADDRESS, line1: '1 Century Avenue', district: 'Pudong' };
      const updated = await svc.client.call('updateOrder', {
        params: { orderId: order.id },
        body: { notes: null, metadata: { priority: 'high' }, shippingAddress: moved },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.notes).toBeUndefined();
      expect(updated.body.metadata).toEqual({ priority: 'high' });
      expect(updated.body.shippingAddress).toEqual(moved);
      expect(updated.body.totals).toEqual(order.totals);
    });

    test('refuses to clear the shipping address of an order with goods (422) and keeps it', async () => {
      const order = await orderIn(svc.client, 'pending');
      const res = await svc.client.call('updateOrder', {
        params: { orderId: order.id },
        body: { shippingAddress: null },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/shippingAddress' })]);
      const after = await svc.client.call('getOrder', { params: { orderId: order.id } });
      expect(after.body).toEqual(order);
    });

    test('cancels a pending order with a reason and records no refund', async () => {
      const order = await orderIn(svc.client, 'pending');
      const res = await svc.client.call('cancelOrder', {
        params: { orderId: order.id },
        body: { reason: 'The patient changed the pharmacy.' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'The patient changed the pharmacy.',
        cancelledAt: expect.any(String),
        totals: { amountPaid: cny(0), amountRefunded: cny(0) },
      });
      const refunds = await svc.client.call('listOrderRefunds', { params: { orderId: order.id } });
      expect(refunds.body.data).toEqual([]);
    });

    test('cancelling a paid order refunds what remains of its payment, automatically and in full', async () => {
      const order = await orderIn(svc.client, 'paid');
      const params = { orderId: order.id };
      await svc.client.call('refundOrder', { params, body: { amount: cny(30000), reason: 'Goodwill' } });
      const res = await svc.client.call('cancelOrder', { params });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.totals).toMatchObject({
        amountPaid: cny(ORDER_TOTAL),
        amountRefunded: cny(ORDER_TOTAL),
      });
      const refunds = await svc.client.call('listOrderRefunds', { params });
      expect(
        refunds.body.data.map((r: { amount: unknown; automatic: boolean }) => [r.amount, r.automatic]),
      ).toEqual([
        [cny(ORDER_TOTAL - 30000), true],
        [cny(30000), false],
      ]);
    });

    test('fulfils an order and completes it with shipment tracking', async () => {
      const order = await orderIn(svc.client, 'paid');
      const params = { orderId: order.id };
      const started = await svc.client.call('startFulfillment', { params });
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ status: 'fulfilling', fulfillmentStartedAt: expect.any(String) });
      const shipment = { carrier: 'SF Express', trackingNumber: 'SF1402938475610' };
      const completed = await svc.client.call('completeOrder', { params, body: { shipment } });
      expect(completed.status).toBe(200);
      expect(completed.body).toMatchObject({
        status: 'completed',
        shipment,
        completedAt: expect.any(String),
      });
    });

    test('refuses a shipment on an order without goods (422) and leaves it fulfilling', async () => {
      const order = await orderIn(
        svc.client,
        'fulfilling',
        orderBody({ items: [serviceLine()], discount: undefined, shippingAddress: undefined }),
      );
      const params = { orderId: order.id };
      const res = await svc.client.call('completeOrder', {
        params,
        body: { shipment: { carrier: 'SF Express', trackingNumber: 'SF1' } },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/shipment' })]);
      expect((await svc.client.call('getOrder', { params })).body.status).toBe('fulfilling');
      const done = await svc.client.call('completeOrder', { params, body: {} });
      expect(done.status).toBe(200);
      expect(done.body.shipment).toBeUndefined();
    });
  });

  describe('payments', () => {
    test('pays an order: one payment, the order paid, and the payment readable by id and by order', async () => {
      const order = await orderIn(svc.client, 'pending');
      const params = { orderId: order.id };
      const paid = await svc.client.call('payOrder', {
        params,
        body: {
          method: 'wechat_pay',
          amount: cny(ORDER_TOTAL),
          transactionReference: '4200001234202611241234567890',
        },
      });
      expect(paid.status).toBe(201);
      expect(paid.headers.get('location')).toMatch(new RegExp(`/orders/v1/payments/${paid.body.id}$`));
      expect(paid.body).toMatchObject({
        orderId: order.id,
        method: 'wechat_pay',
        amount: cny(ORDER_TOTAL),
        transactionReference: '4200001234202611241234567890',
      });
      const after = await svc.client.call('getOrder', { params });
      expect(after.body).toMatchObject({ status: 'paid', paidAt: paid.body.createdAt });
      expect(after.body.totals.amountPaid).toEqual(cny(ORDER_TOTAL));

      expect((await svc.client.call('getPayment', { params: { paymentId: paid.body.id } })).body).toEqual(
        paid.body,
      );
      const list = await svc.client.call('listOrderPayments', { params });
      expect(list.body).toEqual({ data: [paid.body], hasMore: false, nextCursor: null });
    });

    test('refuses to pay an order twice: 409 invalid_transition with currentStatus paid', async () => {
      const order = await orderIn(svc.client, 'paid');
      const res = await svc.client.call('payOrder', {
        params: { orderId: order.id },
        body: { method: 'cash', amount: cny(ORDER_TOTAL) },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: 'paid' });
    });

    test('refuses a partial payment, an overpayment and another currency with 422, recording nothing', async () => {
      const order = await orderIn(svc.client, 'pending');
      const params = { orderId: order.id };
      for (const [amount, pointer] of [
        [cny(ORDER_TOTAL - 1), '/amount/amount'],
        [cny(ORDER_TOTAL + 1), '/amount/amount'],
        [{ amount: ORDER_TOTAL, currency: 'USD' }, '/amount/currency'],
      ] as const) {
        const res = await svc.client.call('payOrder', { params, body: { method: 'card', amount } });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([expect.objectContaining({ pointer })]);
      }
      expect((await svc.client.call('getOrder', { params })).body).toEqual(order);
      expect((await svc.client.call('listOrderPayments', { params })).body.data).toEqual([]);
    });

    test('answers 404 for a missing payment and for the payments of a missing order', async () => {
      const missingPayment = await svc.client.call('getPayment', {
        params: { paymentId: 'pay_01JDQ7X3S4T1V9KX2M5Q8W0ZAB' },
      });
      expect(missingPayment.status).toBe(404);
      const params = { orderId: MISSING_ORDER };
      expect((await svc.client.call('listOrderPayments', { params })).status).toBe(404);
      const pay = await svc.client.call('payOrder', { params, body: { method: 'cash', amount: cny(1) } });
      expect(pay.status).toBe(404);
    });
  });

  describe('refunds', () => {
    test('refunds part, then the rest; only the full refund moves the order to refunded', async () => {
      const order = await orderIn(svc.client, 'completed');
      const params = { orderId: order.id };
      const partial = await svc.client.call('refundOrder', {
        params,
        body: { amount: cny(29900), reason: 'One monitor arrived damaged.' },
      });
      expect(partial.status).toBe(201);
      expect(partial.headers.get('location')).toMatch(new RegExp(`/orders/v1/refunds/${partial.body.id}$`));
      expect(partial.body).toMatchObject({ orderId: order.id, amount: cny(29900), automatic: false });
      const afterPartial = (await svc.client.call('getOrder', { params })).body;
      expect(afterPartial.status).toBe('completed');
      expect(afterPartial.totals.amountRefunded).toEqual(cny(29900));
      expect(afterPartial.refundedAt).toBeUndefined();

      const rest = await svc.client.call('refundOrder', {
        params,
        body: { reason: 'Customer returned the rest.' },
      });
      expect(rest.status).toBe(201);
      expect(rest.body.amount).toEqual(cny(ORDER_TOTAL - 29900));
      const refunded = (await svc.client.call('getOrder', { params })).body;
      expect(refunded).toMatchObject({ status: 'refunded', refundedAt: expect.any(String) });
      expect(refunded.totals.amountRefunded).toEqual(cny(ORDER_TOTAL));

      expect((await svc.client.call('getRefund', { params: { refundId: partial.body.id } })).body).toEqual(
        partial.body,
      );
      const list = await svc.client.call('listOrderRefunds', { params });
      expect(list.body.data).toEqual([rest.body, partial.body]);
    });

    test('refuses a refund larger than what remains (409 conflict) and one in another currency (422)', async () => {
      const order = await orderIn(svc.client, 'paid');
      const params = { orderId: order.id };
      await svc.client.call('refundOrder', { params, body: { amount: cny(100000), reason: 'Partial' } });
      const tooMuch = await svc.client.call('refundOrder', {
        params,
        body: { amount: cny(ORDER_TOTAL - 100000 + 1), reason: 'Too much' },
      });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body).toMatchObject({ code: 'conflict', currentStatus: 'paid' });
      const usd = await svc.client.call('refundOrder', {
        params,
        body: { amount: { amount: 100, currency: 'USD' }, reason: 'Wrong currency' },
      });
      expect(usd.status).toBe(422);
      expect(usd.body.errors).toEqual([expect.objectContaining({ pointer: '/amount/currency' })]);
      const zero = await svc.client.call('refundOrder', {
        params,
        body: { amount: cny(0), reason: 'Nothing' },
      });
      expect(zero.status).toBe(400);
      const after = (await svc.client.call('getOrder', { params })).body;
      expect(after.totals.amountRefunded).toEqual(cny(100000));
      expect((await svc.client.call('listOrderRefunds', { params })).body.data).toHaveLength(1);
    });

    test('answers 404 for a missing refund and for the refunds of a missing order', async () => {
      const missing = await svc.client.call('getRefund', {
        params: { refundId: 'rfd_01JDQ7X3S4T1V9KX2M5Q8W0ZAB' },
      });
      expect(missing.status).toBe(404);
      const params = { orderId: MISSING_ORDER };
      expect((await svc.client.call('listOrderRefunds', { params })).status).toBe(404);
      expect((await svc.client.call('refundOrder', { params, body: { reason: 'x' } })).status).toBe(404);
    });
  });

  test('every operation of specs/orders was called', () => {
    expect(svc.client.uncovered()).toEqual([]);
  });
});
