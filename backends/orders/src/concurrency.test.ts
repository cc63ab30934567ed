// The money guarantees under concurrent requests, on each store engine: an order is paid exactly once, and refunds
// — partial ones racing each other or a cancellation — never add up to more than the payment.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { ORDER_TOTAL, cny, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';

describeEachStore('Orders concurrency', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  const refundRows = (orderId: string) =>
    svc.database.db.selectFrom('refunds').select(['amount']).where('order_id', '=', orderId).execute();

  test('20 concurrent payments of one order: exactly one succeeds, 19 get 409, one payment row', async () => {
    const order = await orderIn(svc.client, 'pending');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        svc.client.call('payOrder', {
          params: { orderId: order.id },
          body: { method: 'wechat_pay', amount: cny(ORDER_TOTAL), transactionReference: `tx-${i}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body).toMatchObject({ code: 'invalid_transition', currentStatus: 'paid' });
    }
    const rows = await svc.database.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', order.id)
      .execute();
    expect(rows).toHaveLength(1);
    const after = await svc.client.call('getOrder', { params: { orderId: order.id } });
    expect(after.body.totals.amountPaid).toEqual(cny(ORDER_TOTAL));
  });

  test('20 concurrent partial refunds never exceed the amount paid', async () => {
    const order = await orderIn(svc.client, 'completed');
    // 20 × 13,000 = 260,000 asked against 180,000 paid: exactly 13 fit (169,000).
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        svc.client.call('refundOrder', {
          params: { orderId: order.id },
          body: { amount: cny(13000), reason: 'Partial return' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(13);
    for (const loser of results.filter((r) => r.status !== 201)) {
      expect(loser.status).toBe(409);
      expect(loser.body.code).toBe('conflict');
    }
    const rows = await refundRows(order.id);
    const refunded = rows.reduce((sum, r) => sum + Number(r.amount), 0);
    expect(refunded).toBe(169000);
    const after = (await svc.client.call('getOrder', { params: { orderId: order.id } })).body;
    expect(after.totals.amountRefunded).toEqual(cny(169000));
    expect(after.status).toBe('completed');
  });

  test('concurrent refunds that add up exactly to the payment leave the order refunded', async () => {
    const order = await orderIn(svc.client, 'paid');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        svc.client.call('refundOrder', {
          params: { orderId: order.id },
          body: { amount: cny(ORDER_TOTAL / 10), reason: 'Split refund' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    // The losers arrive either before (conflict: nothing left) or after (invalid_transition: refunded) the last one.
    for (const loser of results.filter((r) => r.status !== 201)) {
      expect(loser.status).toBe(409);
      expect(['conflict', 'invalid_transition']).toContain(loser.body.code);
    }
    const after = (await svc.client.call('getOrder', { params: { orderId: order.id } })).body;
    expect(after.status).toBe('refunded');
    expect(after.totals.amountRefunded).toEqual(cny(ORDER_TOTAL));
  });

  test('a cancellation racing partial refunds refunds the payment exactly once in total', async () => {
    const order = await orderIn(svc.client, 'paid');
    const params = { orderId: order.id };
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        svc.client.call('refundOrder', { params, body: { amount: cny(20000), reason: 'Partial' } }),
      ),
      svc.client.call('cancelOrder', { params, body: { reason: 'Changed mind' } }),
      ...Array.from({ length: 10 }, () =>
        svc.client.call('refundOrder', { params, body: { amount: cny(20000), reason: 'Partial' } }),
      ),
    ]);
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    const after = (await svc.client.call('getOrder', { params })).body;
    const rows = await refundRows(order.id);
    const refunded = rows.reduce((sum, r) => sum + Number(r.amount), 0);
    expect(refunded).toBe(after.totals.amountRefunded.amount);
    expect(refunded).toBeLessThanOrEqual(ORDER_TOTAL);
    // Either the cancellation won (and refunded the rest) or the partial refunds used up the payment first.
    expect(['cancelled', 'refunded']).toContain(after.status);
    expect(refunded).toBe(ORDER_TOTAL);
  });
});
