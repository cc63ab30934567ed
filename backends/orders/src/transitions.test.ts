// The status machine, exhaustively: every operation from every status. Allowed moves land in the documented status;
// every illegal one is a 409 invalid_transition naming the current status, and changes nothing — not the order, not
// its payments, not its refunds.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { ORDER_TOTAL, cny, orderIn } from './order-fixtures';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';
import type { OrderStatus } from './store/transitions';

type Action =
  'updateOrder' | 'payOrder' | 'cancelOrder' | 'startFulfillment' | 'completeOrder' | 'refundOrder';

const BODIES: Record<Action, unknown> = {
  updateOrder: { notes: 'changed' },
  payOrder: { method: 'bank_transfer', amount: cny(ORDER_TOTAL) },
  cancelOrder: { reason: 'test' },
  startFulfillment: undefined,
  completeOrder: {},
  refundOrder: { reason: 'full refund' },
};

/** Written out by hand (not derived from the implementation's table) so that a wrong table fails here. */
const EXPECTED: Record<OrderStatus, Record<Action, OrderStatus | 'refused'>> = {
  pending: {
    updateOrder: 'pending',
    payOrder: 'paid',
    cancelOrder: 'cancelled',
    startFulfillment: 'refused',
    completeOrder: 'refused',
    refundOrder: 'refused',
  },
  paid: {
    updateOrder: 'refused',
    payOrder: 'refused',
    cancelOrder: 'cancelled',
    startFulfillment: 'fulfilling',
    completeOrder: 'refused',
    refundOrder: 'refunded',
  },
  fulfilling: {
    updateOrder: 'refused',
    payOrder: 'refused',
    cancelOrder: 'refused',
    startFulfillment: 'refused',
    completeOrder: 'completed',
    refundOrder: 'refunded',
  },
  completed: {
    updateOrder: 'refused',
    payOrder: 'refused',
    cancelOrder: 'refused',
    startFulfillment: 'refused',
    completeOrder: 'refused',
    refundOrder: 'refunded',
  },
  cancelled: {
    updateOrder: 'refused',
    payOrder: 'refused',
    cancelOrder: 'refused',
    startFulfillment: 'refused',
    completeOrder: 'refused',
    refundOrder: 'refused',
  },
  refunded: {
    updateOrder: 'refused',
    payOrder: 'refused',
    cancelOrder: 'refused',
    startFulfillment: 'refused',
    completeOrder: 'refused',
    refundOrder: 'refused',
  },
};

const CASES = Object.entries(EXPECTED).flatMap(([from, row]) =>
  Object.entries(row).map(([action, to]) => [from as OrderStatus, action as Action, to] as const),
);

async function snapshot(client: ContractClient, orderId: string) {
  const params = { orderId };
  const [order, payments, refunds] = await Promise.all([
    client.call('getOrder', { params }),
    client.call('listOrderPayments', { params }),
    client.call('listOrderRefunds', { params }),
  ]);
  return { order: order.body, payments: payments.body, refunds: refunds.body };
}

describeEachStore('Orders status machine', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  test.each(CASES.filter(([, , to]) => to === 'refused'))(
    'refuses %s → %s with 409 invalid_transition and changes nothing',
    async (from, action) => {
      const order = await orderIn(svc.client, from);
      const before = await snapshot(svc.client, order.id);
      const res = await svc.client.call(action, {
        params: { orderId: order.id },
        ...(BODIES[action] !== undefined ? { body: BODIES[action] } : {}),
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: from });
      expect(await snapshot(svc.client, order.id)).toEqual(before);
    },
  );

  test.each(CASES.filter(([, , to]) => to !== 'refused'))(
    'allows %s → %s, which leaves the order %s',
    async (from, action, to) => {
      const order = await orderIn(svc.client, from);
      const res = await svc.client.call(action, {
        params: { orderId: order.id },
        ...(BODIES[action] !== undefined ? { body: BODIES[action] } : {}),
      });
      expect([200, 201]).toContain(res.status);
      const after = await svc.client.call('getOrder', { params: { orderId: order.id } });
      expect(after.body.status).toBe(to);
      // A cancelled or refunded order never holds money.
      if (to === 'cancelled' || to === 'refunded') {
        expect(after.body.totals.amountRefunded).toEqual(after.body.totals.amountPaid);
      }
    },
  );

  test('a partial refund keeps the order in its status', async () => {
    for (const from of ['paid', 'fulfilling', 'completed'] as const) {
      const order = await orderIn(svc.client, from);
      const res = await svc.client.call('refundOrder', {
        params: { orderId: order.id },
        body: { amount: cny(1), reason: 'partial' },
      });
      expect(res.status).toBe(201);
      expect((await svc.client.call('getOrder', { params: { orderId: order.id } })).body.status).toBe(from);
    }
  });
});
