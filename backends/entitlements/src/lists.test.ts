// Every list filters exactly on what it is asked and pages newest first with an opaque cursor, never repeating or
// skipping a record.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { newTestIdentity } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import {
  createActivePackage,
  createGoods,
  createService,
  customerId,
  grantOfOneItem,
  orderId,
} from './testing/fixtures';

/** Follows nextCursor from the first page to the last, checking hasMore on the way. */
async function allPages(
  client: ContractClient,
  operationId: string,
  options: { params?: Record<string, string>; query?: Record<string, string | number> } = {},
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.call(operationId, {
      ...(options.params ? { params: options.params } : {}),
      query: { ...options.query, limit: 2, ...(cursor ? { cursor } : {}) },
    });
    expect(page.status).toBe(200);
    expect(page.body.data.length).toBeLessThanOrEqual(2);
    seen.push(...page.body.data.map((r: { id: string }) => r.id));
    cursor = page.body.nextCursor ?? undefined;
    expect(page.body.hasMore).toBe(cursor !== undefined);
    pages += 1;
  } while (cursor && pages < 50);
  return seen;
}

describeEachStore('Entitlements lists', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  test('items filter by type, category and active, and page newest first', async () => {
    const client = svc.client.as(newTestIdentity());
    const consult = await createService(client);
    const physio = await createService(client, { name: 'Physiotherapy', category: 'physiotherapy' });
    const lab = await createService(client, { name: 'Blood test panel', category: 'lab_test', unit: 'test' });
    const monitor = await createGoods(client);
    const kit = await createGoods(client, { name: 'First-aid kit', category: 'first_aid', unit: 'kit' });
    await client.call('deactivateItem', { params: { itemId: physio.id } });

    expect(await allPages(client, 'listItems')).toEqual([kit.id, monitor.id, lab.id, physio.id, consult.id]);
    expect(await allPages(client, 'listItems', { query: { type: 'service' } })).toEqual([
      lab.id,
      physio.id,
      consult.id,
    ]);
    expect(await allPages(client, 'listItems', { query: { type: 'goods' } })).toEqual([kit.id, monitor.id]);
    expect(await allPages(client, 'listItems', { query: { category: 'lab_test' } })).toEqual([lab.id]);
    expect(await allPages(client, 'listItems', { query: { active: 'false' } })).toEqual([physio.id]);
    expect(await allPages(client, 'listItems', { query: { active: 'true', type: 'service' } })).toEqual([
      lab.id,
      consult.id,
    ]);
  });

  test('packages filter by status and by item', async () => {
    const client = svc.client.as(newTestIdentity());
    const a = await createService(client);
    const b = await createService(client, { name: 'Health check', category: 'health_check', unit: 'visit' });
    const draft = await client.call('createPackage', {
      body: {
        name: 'Draft',
        items: [{ itemId: b.id, quantity: 1 }],
        price: { amount: 100, currency: 'CNY' },
        validity: { kind: 'rolling', days: 30 },
      },
    });
    const withA = await createActivePackage(client, [{ itemId: a.id, quantity: 2 }]);
    const withBoth = await createActivePackage(client, [
      { itemId: a.id, quantity: 1 },
      { itemId: b.id, quantity: 1 },
    ]);
    const retired = await createActivePackage(client, [{ itemId: b.id, quantity: 3 }]);
    await client.call('retirePackage', { params: { packageId: retired.id } });

    expect(await allPages(client, 'listPackages')).toEqual([
      retired.id,
      withBoth.id,
      withA.id,
      draft.body.id,
    ]);
    expect(await allPages(client, 'listPackages', { query: { status: 'active' } })).toEqual([
      withBoth.id,
      withA.id,
    ]);
    expect(await allPages(client, 'listPackages', { query: { itemId: b.id } })).toEqual([
      retired.id,
      withBoth.id,
      draft.body.id,
    ]);
    expect(await allPages(client, 'listPackages', { query: { itemId: b.id, status: 'draft' } })).toEqual([
      draft.body.id,
    ]);
    // Each package in a page carries its own items, in order.
    const page = await client.call('listPackages', { query: { status: 'active' } });
    expect(page.body.data[0].items.map((i: any) => i.itemId)).toEqual([a.id, b.id]);
    expect(page.body.data[1].items.map((i: any) => i.itemId)).toEqual([a.id]);
  });

  test('grants filter by customer, package, order and status', async () => {
    const client = svc.client.as(newTestIdentity());
    const item = await createService(client);
    const p1 = await createActivePackage(client, [{ itemId: item.id, quantity: 1 }]);
    const p2 = await createActivePackage(client, [{ itemId: item.id, quantity: 2 }]);
    const alice = customerId();
    const bob = customerId();
    const order = orderId();
    const grant = async (customer: string, packageId: string, extra: Record<string, string> = {}) =>
      (await client.call('createGrant', { body: { customerId: customer, packageId, ...extra } })).body
        .id as string;
    const g1 = await grant(alice, p1.id, { orderId: order });
    const g2 = await grant(alice, p2.id, { orderId: order });
    const g3 = await grant(bob, p1.id);
    const g4 = await grant(alice, p1.id);
    await client.call('suspendGrant', { params: { grantId: g3 } });

    expect(await allPages(client, 'listGrants')).toEqual([g4, g3, g2, g1]);
    expect(await allPages(client, 'listGrants', { query: { customerId: alice } })).toEqual([g4, g2, g1]);
    expect(await allPages(client, 'listGrants', { query: { packageId: p1.id } })).toEqual([g4, g3, g1]);
    expect(await allPages(client, 'listGrants', { query: { orderId: order } })).toEqual([g2, g1]);
    expect(await allPages(client, 'listGrants', { query: { status: 'suspended' } })).toEqual([g3]);
    expect(await allPages(client, 'listGrants', { query: { customerId: alice, packageId: p1.id } })).toEqual([
      g4,
      g1,
    ]);
  });

  test('redemptions and events of a grant filter and page, and stay within their grant', async () => {
    const client = svc.client.as(newTestIdentity());
    const a = await createService(client);
    const b = await createGoods(client);
    const pkg = await createActivePackage(client, [
      { itemId: a.id, quantity: 10 },
      { itemId: b.id, quantity: 10 },
    ]);
    const make = async () =>
      (await client.call('createGrant', { body: { customerId: customerId(), packageId: pkg.id } })).body
        .id as string;
    const grantId = await make();
    const otherGrant = await make();
    const redeem = async (g: string, itemId: string) =>
      (await client.call('createRedemption', { params: { grantId: g }, body: { itemId, quantity: 1 } })).body
        .id as string;
    const r1 = await redeem(grantId, a.id);
    const r2 = await redeem(grantId, b.id);
    const r3 = await redeem(grantId, a.id);
    await redeem(otherGrant, a.id);
    await client.call('reverseRedemption', { params: { grantId, redemptionId: r1 } });

    expect(await allPages(client, 'listRedemptions', { params: { grantId } })).toEqual([r3, r2, r1]);
    expect(
      await allPages(client, 'listRedemptions', { params: { grantId }, query: { itemId: a.id } }),
    ).toEqual([r3, r1]);
    expect(
      await allPages(client, 'listRedemptions', { params: { grantId }, query: { status: 'completed' } }),
    ).toEqual([r3, r2]);
    // A redemption is found only under its own grant.
    const wrongGrant = await client.call('getRedemption', {
      params: { grantId: otherGrant, redemptionId: r1 },
    });
    expect(wrongGrant.status).toBe(404);

    const events = await allPages(client, 'listGrantEvents', { params: { grantId } });
    expect(events).toHaveLength(5); // granted, 3 × redeemed, reversed
    const redeemed = await client.call('listGrantEvents', {
      params: { grantId },
      query: { type: 'redeemed', limit: 100 },
    });
    expect(redeemed.body.data.map((e: any) => e.redemptionId)).toEqual([r3, r2, r1]);
  });

  test('a cursor that this API did not produce is a 400 naming the parameter', async () => {
    for (const operationId of ['listItems', 'listPackages', 'listGrants']) {
      const res = await svc.client.call(operationId, { query: { cursor: 'bm90LWEtY3Vyc29y' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_cursor', errors: [{ parameter: 'cursor' }] });
    }
    const { grant } = await grantOfOneItem(svc.client, 1);
    for (const operationId of ['listRedemptions', 'listGrantEvents']) {
      const res = await svc.client.call(operationId, {
        params: { grantId: grant.id },
        query: { cursor: 'x' },
      });
      expect(res.body.code).toBe('invalid_cursor');
    }
    const limit = await svc.client.call('listGrants', { query: { limit: 0 } });
    expect(limit.body).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ parameter: 'limit' })],
    });
  });
});
