// Tenant isolation: another partner, or the same partner in the other environment, cannot see or touch an order,
// its payment or its refunds — every call by id is a 404 exactly like a missing record, lists leave it out, and
// the attempts change nothing.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { CUSTOMER_ID, ORDER_TOTAL, cny, orderIn } from './order-fixtures';
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
});
