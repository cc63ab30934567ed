// The demo seeder: a realistic set of orders in every main status for a fresh tenant, valid against the spec,
// referencing the customer and package of earlier seeders, and a no-op the second time.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { newTestIdentity } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startOrders } from './orders-harness';
import type { OrdersTables } from './store/schema';
import { seedOrdersDemo } from './seed';

const REFS = { customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB', packageId: 'pkg_01JDQ9P4N6T1V9KX2M5Q8W0ZAC' };

describeEachStore('Orders demo seeder', (store) => {
  let svc: TestService<OrdersTables>;
  beforeAll(async () => {
    svc = await startOrders(store);
  });
  afterAll(() => svc.close());

  const seedDeps = () => ({ db: svc.database.db, clock: svc.deps.clock, newId: svc.deps.newId });

  test('seeds orders in several statuses that the API serves as valid orders', async () => {
    const scope = newTestIdentity();
    const refs = await seedOrdersDemo(seedDeps(), scope, { ...REFS, other: 'kept' });
    expect(refs).toMatchObject({ ...REFS, other: 'kept', orderId: expect.stringMatching(/^ord_/) });
    expect(refs.paymentId).toMatch(/^pay_/);

    const client = svc.client.as(scope);
    // The contract client validates every response below against the spec.
    const list = await client.call('listOrders');
    const statuses = list.body.data.map((o: { status: string }) => o.status).sort();
    expect(statuses).toEqual(['cancelled', 'completed', 'fulfilling', 'pending']);
    for (const order of list.body.data) expect(order.customerId).toBe(REFS.customerId);
    const packageIds = list.body.data.flatMap((o: { items: Array<{ packageId?: string }> }) =>
      o.items.map((i) => i.packageId).filter(Boolean),
    );
    expect(packageIds).toContain(REFS.packageId);

    const main = await client.call('getOrder', { params: { orderId: refs.orderId! } });
    expect(main.body).toMatchObject({ status: 'completed', shipment: { carrier: 'SF Express' } });
    expect(main.body.totals.amountRefunded.amount).toBeGreaterThan(0);
    const payment = await client.call('getPayment', { params: { paymentId: refs.paymentId! } });
    expect(payment.body.orderId).toBe(refs.orderId);
  });

  test('is idempotent: a second run creates nothing and returns the same ids', async () => {
    const scope = newTestIdentity();
    const first = await seedOrdersDemo(seedDeps(), scope, REFS);
    const countOrders = async () =>
      (
        await svc.database.db
          .selectFrom('orders')
          .select('id')
          .where('partner_id', '=', scope.partnerId)
          .where('environment', '=', scope.environment)
          .execute()
      ).length;
    const before = await countOrders();
    const second = await seedOrdersDemo(seedDeps(), scope, REFS);
    expect(await countOrders()).toBe(before);
    expect(second).toEqual(first);
  });

  test('works without refs from earlier seeders, and only in the tenant it is given', async () => {
    const scope = newTestIdentity('live');
    const refs = await seedOrdersDemo(seedDeps(), scope, {});
    expect(refs.orderId).toMatch(/^ord_/);
    const elsewhere = await svc.client.as({ ...scope, environment: 'test' }).call('listOrders');
    expect(elsewhere.body.data).toEqual([]);
    const list = await svc.client.as(scope).call('listOrders');
    expect(list.body.data.length).toBeGreaterThanOrEqual(4);
  });
});
