// The database's own refusals (unique indexes, check constraints) are the last line of defence behind the store's
// guards; when one fires it must become the documented 409 and roll everything back, never a 500.
import { sql } from 'kysely';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { ORDER_TOTAL, cny, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';

describeEachStore('Orders constraint refusals', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  test('a second payment refused by the per-tenant unique index is a 409 conflict and changes nothing', async () => {
    const order = await orderIn(svc.client, 'pending');
    const params = { orderId: order.id };
    // A payment row the status guard cannot see (the order is still pending), as a bug or a manual fix might leave.
    const { partnerId, environment } = svc.client.identity!;
    await svc.database.db
      .insertInto('payments')
      .values({
        id: 'pay_01JDR3A2B4T1V9KX2M5Q8W0ZDA',
        partner_id: partnerId,
        environment,
        order_id: order.id,
        method: 'cash',
        amount: ORDER_TOTAL,
        currency: 'CNY',
        transaction_reference: null,
        created_at: order.createdAt,
      })
      .execute();

    const res = await svc.client.call('payOrder', {
      params,
      body: { method: 'wechat_pay', amount: cny(ORDER_TOTAL) },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', currentStatus: 'pending' });
    // The status change of the same transaction was rolled back with the refused insert.
    expect((await svc.client.call('getOrder', { params })).body).toEqual(order);
    const payments = await svc.database.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    expect(payments).toEqual([{ id: 'pay_01JDR3A2B4T1V9KX2M5Q8W0ZDA' }]);
  });

  test('the database refuses refunds beyond the payment (check constraint behind the guarded UPDATE)', async () => {
    const order = await orderIn(svc.client, 'paid');
    // Compare messages, not classes: the driver's error may come from another realm than Jest's Error.
    const failure = await sql`update orders set amount_refunded = amount_paid + 1 where id = ${order.id}`
      .execute(svc.database.db)
      .then(
        () => 'no error',
        (error: unknown) => String((error as { message?: unknown }).message),
      );
    expect(failure).toMatch(/constraint/i);
  });
});
