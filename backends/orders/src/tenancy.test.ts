// Tenant isolation: another partner, or the same partner in the other environment, cannot see or touch an order,
// its payment or its refunds — every call by id is a 404 exactly like a missing record, lists leave it out, and
// the attempts change nothing. Filters naming another tenant's data find nothing, and every query filters on the
// tenant on its own, even for rows that hang off an order of this tenant.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { CUSTOMER_ID, ORDER_TOTAL, cny, orderBody, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';

describeEachStore('Orders tenant isolation', (store) => {
  const owner = { partnerId: 'prt_owner1', environment: 'test' as const };
  const strangers = {
    'another partner': { partnerId: 'prt_other1', environment: 'test' as const },
    'the live environment': { partnerId: 'prt_owner1', environment: 'live' as const },
  };
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store, { identity: owner });
  });
  afterAll(() => svc.close());

  test.each(Object.entries(strangers))(
    '%s gets 404 for every call by id and sees nothing in lists',
    async (_, who) => {
      const order = await orderIn(svc.client, 'paid');
      const params = { orderId: order.id };
      const refund = await svc.client.call('refundOrder', {
        params,
        body: { amount: cny(100), reason: 'partial' },
      });
      const payment = (await svc.client.call('listOrderPayments', { params })).body.data[0];
      const before = (await svc.client.call('getOrder', { params })).body;

      const other = svc.client.as(who);
      // The stranger has an order of its own, so lists are not empty by accident.
      const theirs = await orderIn(other, 'pending');
      const calls: Array<[string, Record<string, unknown>]> = [
        ['getOrder', { params }],
        ['updateOrder', { params, body: { notes: 'mine now' } }],
        ['cancelOrder', { params }],
        ['payOrder', { params, body: { method: 'cash', amount: cny(ORDER_TOTAL) } }],
        ['startFulfillment', { params }],
        ['completeOrder', { params }],
        ['refundOrder', { params, body: { reason: 'steal' } }],
        ['listOrderPayments', { params }],
        ['listOrderRefunds', { params }],
        ['getPayment', { params: { paymentId: payment.id } }],
        ['getRefund', { params: { refundId: refund.body.id } }],
      ];
      for (const [operationId, options] of calls) {
        const res = await other.call(operationId, options);
        expect({ operationId, status: res.status, code: res.body.code }).toEqual({
          operationId,
          status: 404,
          code: 'not_found',
        });
      }
      const listed = await other.call('listOrders', { query: { customerId: CUSTOMER_ID } });
      expect(listed.body.data.map((o: { id: string }) => o.id)).toEqual([theirs.id]);
      expect((await svc.client.call('getOrder', { params })).body).toEqual(before);
      const ownList = await svc.client.call('listOrders');
      expect(ownList.body.data.map((o: { id: string }) => o.id)).not.toContain(theirs.id);
    },
  );

  test.each(Object.entries(strangers))(
    "%s filtering by the owner's customer, status or time gets nothing",
    async (_, who) => {
      // A customer only the owner has, one per stranger so that the cases do not see each other's orders.
      const customerId = `cus_01JDQ7X3S4T1V9KX2M5Q8W0${who.environment === 'live' ? 'EV1' : 'PT1'}`;
      const order = await orderIn(svc.client, 'paid', orderBody({ customerId }));
      const other = svc.client.as(who);
      for (const query of [
        { customerId },
        { customerId, status: 'paid' },
        { customerId, createdFrom: order.createdAt },
      ]) {
        const res = await other.call('listOrders', { query });
        expect({ query, data: res.body.data }).toEqual({ query, data: [] });
      }
      expect((await svc.client.call('listOrders', { query: { customerId } })).body.data).toEqual([order]);
    },
  );

  test("rows of another tenant attached to an order's id are never shown with it (each query filters the tenant)", async () => {
    const order = await orderIn(svc.client, 'paid');
    const params = { orderId: order.id };
    const before = {
      order: (await svc.client.call('getOrder', { params })).body,
      payments: (await svc.client.call('listOrderPayments', { params })).body,
      refunds: (await svc.client.call('listOrderRefunds', { params })).body,
    };
    // Rows no request can make: another tenant's line, payment and refund pointing at this order. The unique
    // indexes are per tenant, so the database takes them; only the tenant filter of each query keeps them out.
    const stranger = strangers['another partner'];
    const tenant = { partner_id: stranger.partnerId, environment: stranger.environment };
    const db = svc.database.db;
    await db
      .insertInto('order_items')
      .values({
        ...tenant,
        id: 'itm_01JDR2M8K4T1V9KX2M5Q8W0ZZZ',
        order_id: order.id,
        position: 0,
        type: 'goods',
        sku: 'FOREIGN-1',
        package_id: null,
        name: 'Not this order',
        quantity: 1,
        unit_price_amount: 1,
        amount: 1,
      })
      .execute();
    await db
      .insertInto('payments')
      .values({
        ...tenant,
        id: 'pay_01JDR3A2B4T1V9KX2M5Q8W0ZZZ',
        order_id: order.id,
        method: 'cash',
        amount: 1,
        currency: 'CNY',
        transaction_reference: null,
        created_at: order.createdAt,
      })
      .execute();
    await db
      .insertInto('refunds')
      .values({
        ...tenant,
        id: 'rfd_01JDR4C6D8T1V9KX2M5Q8W0ZZZ',
        order_id: order.id,
        payment_id: 'pay_01JDR3A2B4T1V9KX2M5Q8W0ZZZ',
        amount: 1,
        currency: 'CNY',
        reason: 'Not this order',
        automatic: 0,
        created_at: order.createdAt,
      })
      .execute();
    expect((await svc.client.call('getOrder', { params })).body).toEqual(before.order);
    expect(
      (await svc.client.call('listOrders', { query: { customerId: CUSTOMER_ID } })).body.data,
    ).toContainEqual(before.order);
    expect((await svc.client.call('listOrderPayments', { params })).body).toEqual(before.payments);
    expect((await svc.client.call('listOrderRefunds', { params })).body).toEqual(before.refunds);
    // A refund and a cancellation use the owner's own payment, never the foreign one.
    const refund = await svc.client.call('refundOrder', {
      params,
      body: { amount: cny(100), reason: 'partial' },
    });
    expect(refund.body.paymentId).toBe(before.payments.data[0].id);
    await svc.client.call('cancelOrder', { params });
    const refunds = (await svc.client.call('listOrderRefunds', { params })).body.data;
    expect(refunds.map((r: { paymentId: string }) => r.paymentId)).toEqual([
      before.payments.data[0].id,
      before.payments.data[0].id,
    ]);
  });
});
