// updateOrder changes only notes, metadata and the shipping address of a pending order: any attempt to set the
// status, the money, the lines or the customer is refused (no mass assignment), and so is any update once the
// order has left `pending` (409 invalid_transition with currentStatus) — in every case nothing changes.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { CUSTOMER_ID, ORDER_TOTAL, cny, goodsLine, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import { updateOrder, type OrderChanges } from './store/orders';
import type { OrdersTables } from './store/schema';

/** Members of an Order that a caller must never set through PATCH, with a tempting value for each. */
const PROTECTED: Array<[string, unknown]> = [
  ['status', 'paid'],
  ['totals', { total: cny(1) }],
  ['amountPaid', cny(ORDER_TOTAL)],
  ['items', [goodsLine({ unitPrice: cny(1) })]],
  ['customerId', 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZZZ'],
  ['currency', 'USD'],
  ['requiresShipping', false],
  ['paidAt', '2026-11-24T09:35:00.000Z'],
  ['id', 'ord_01JDR2M8K4T1V9KX2M5Q8W0ZCD'],
];

describeEachStore('Orders update', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  const row = (id: string) =>
    svc.database.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test.each(PROTECTED)(
    'refuses to set %s, alone or beside an allowed change (400), and changes nothing',
    async (member, value) => {
      const order = await orderIn(svc.client, 'pending');
      const params = { orderId: order.id };
      const before = await row(order.id);
      for (const body of [{ [member]: value }, { notes: 'Allowed change.', [member]: value }]) {
        const res = await svc.client.call('updateOrder', { params, body });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ pointer: `/${member}` })]),
        );
      }
      expect(await row(order.id)).toEqual(before);
      expect((await svc.client.call('getOrder', { params })).body).toEqual(order);
    },
  );

  test('an allowed update keeps status, money, lines and customer as they were', async () => {
    const order = await orderIn(svc.client, 'pending');
    const res = await svc.client.call('updateOrder', {
      params: { orderId: order.id },
      body: { notes: 'Call before delivery.', metadata: { priority: 'high' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...order,
      notes: 'Call before delivery.',
      metadata: { priority: 'high' },
      updatedAt: expect.any(String),
    });
  });

  test('the store itself copies only the editable members, whatever the request object carries', async () => {
    // Defence in depth: should the spec ever let more through, the store still writes only what it knows.
    const order = await orderIn(svc.client, 'pending');
    const scope = svc.client.identity!;
    const deps = { db: svc.database.db, clock: svc.deps.clock, newId: svc.deps.newId };
    const smuggled = { notes: 'Edited.', status: 'paid', amount_paid: ORDER_TOTAL, customer_id: 'cus_x' };
    const updated = await updateOrder(deps, scope, order.id, smuggled as OrderChanges);
    expect(updated).toEqual({ ...order, notes: 'Edited.', updatedAt: expect.any(String) });
    expect(await row(order.id)).toMatchObject({
      status: 'pending',
      amount_paid: 0,
      customer_id: CUSTOMER_ID,
    });
  });

  test.each(['paid', 'fulfilling', 'completed', 'cancelled', 'refunded'] as const)(
    'refuses any update of a %s order with 409 invalid_transition and currentStatus, changing nothing',
    async (status) => {
      const order = await orderIn(svc.client, status);
      const params = { orderId: order.id };
      const before = await row(order.id);
      for (const body of [{ notes: 'Too late.' }, { metadata: {} }, { shippingAddress: null }]) {
        const res = await svc.client.call('updateOrder', { params, body });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: status });
      }
      expect(await row(order.id)).toEqual(before);
    },
  );
});
