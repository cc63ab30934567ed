// The demo seeder makes a realistic, API-valid data set for one tenant, references the CRM customer it is given,
// and is idempotent: a second run writes nothing and returns the same ids.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { newTestIdentity } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import { seedEntitlementsDemo } from './seed';
import type { EntitlementsTables } from './store/schema';
import { customerId } from './testing/fixtures';

describeEachStore('Entitlements demo seeder', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  const rowCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['items', 'packages', 'grants', 'redemptions', 'grant_events'] as const) {
      const row = await svc.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  };

  test('seeds a catalogue, packages and a grant for the CRM customer, all readable through the API', async () => {
    const identity = newTestIdentity();
    const client = svc.client.as(identity);
    const customer = customerId();
    const refs = await seedEntitlementsDemo(svc.deps, identity, { customerId: customer });

    expect(refs).toEqual({
      customerId: customer,
      packageId: expect.stringMatching(/^pkg_/),
      seniorPackageId: expect.stringMatching(/^pkg_/),
      fluPackageId: expect.stringMatching(/^pkg_/),
      itemId: expect.stringMatching(/^itm_/),
      grantId: expect.stringMatching(/^grt_/),
    });
    const items = await client.call('listItems', { query: { limit: 100 } });
    expect(items.body.data).toHaveLength(9);
    expect(items.body.data.filter((i: any) => i.type === 'goods').every((i: any) => i.sku)).toBe(true);
    const packages = await client.call('listPackages', { query: { limit: 100 } });
    expect(packages.body.data.map((p: any) => p.status).sort()).toEqual([
      'active',
      'active',
      'active',
      'draft',
    ]);
    const family = await client.call('getPackage', { params: { packageId: refs.packageId! } });
    expect(family.body).toMatchObject({ name: 'Family Care Annual', status: 'active', grantCount: 1 });
    expect(family.body.items.map((i: any) => i.quantity)).toEqual([12, 1, 2, 1]);

    const grants = await client.call('listGrants', { query: { customerId: customer } });
    expect(grants.body.data.map((g: any) => g.id)).toEqual([refs.grantId]);
    const grant = grants.body.data[0];
    expect(grant.balances.find((b: any) => b.itemId === refs.itemId)).toMatchObject({
      used: 1,
      remaining: 11,
    });
    expect(grant.balances.find((b: any) => b.type === 'goods')).toMatchObject({ used: 1, remaining: 0 });
    const history = await client.call('listGrantEvents', { params: { grantId: refs.grantId! } });
    expect(history.body.data.map((e: any) => e.type)).toEqual(['redeemed', 'redeemed', 'granted']);
  });

  test('a second run writes nothing and returns the same ids', async () => {
    const identity = newTestIdentity();
    const first = await seedEntitlementsDemo(svc.deps, identity, { customerId: customerId() });
    const before = await rowCounts();
    const second = await seedEntitlementsDemo(svc.deps, identity, { customerId: first.customerId! });
    expect(await rowCounts()).toEqual(before);
    expect(second).toEqual(first);
  });

  test('without a customer it seeds the catalogue and packages but no grant, and leaves other tenants alone', async () => {
    const identity = newTestIdentity('live');
    const refs = await seedEntitlementsDemo(svc.deps, identity, { crmNote: 'kept' });
    expect(refs.crmNote).toBe('kept');
    expect(refs.grantId).toBeUndefined();
    expect((await svc.client.as(identity).call('listGrants')).body.data).toEqual([]);
    const stranger = svc.client.as(newTestIdentity());
    expect((await stranger.call('listItems')).body.data).toEqual([]);
  });
});
