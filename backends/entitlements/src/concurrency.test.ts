// Acceptance tests for the guarantees that must hold under concurrency, on SQLite and PostgreSQL: a balance never
// goes negative, a redemption is reversed once, an order grants a package once.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createService, customerId, grantOfOneItem, orderId } from './testing/fixtures';

describeEachStore('Entitlements concurrency', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  const redemptionRows = async (grantId: string) =>
    svc.database.db.selectFrom('redemptions').selectAll().where('grant_id', '=', grantId).execute();

  test('20 simultaneous redemptions of 1 unit against a balance of 5 succeed exactly 5 times', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        svc.client.call('createRedemption', {
          params: { grantId: grant.id },
          body: { itemId, quantity: 1, note: `visit ${i}` },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const refused of results.filter((r) => r.status === 409)) {
      expect(refused.body.code).toBe('insufficient_balance');
    }
    // Each success saw a distinct balance after it: 4, 3, 2, 1, 0.
    const after = results.filter((r) => r.status === 201).map((r) => r.body.remainingAfter);
    expect(after.sort()).toEqual([0, 1, 2, 3, 4]);

    const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
    expect(balance).toMatchObject({ granted: 5, used: 5, remaining: 0 });
    expect(await redemptionRows(grant.id)).toHaveLength(5);
    const events = await svc.client.call('listGrantEvents', {
      params: { grantId: grant.id },
      query: { type: 'redeemed', limit: 100 },
    });
    expect(events.body.data).toHaveLength(5);
  });

  test('concurrent redemptions of several units never overdraw the balance', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 10);
    // 3 + 3 + 3 fit; a fourth 3 does not; the 2s fill what is left only when it is enough.
    const quantities = [3, 3, 3, 3, 2, 2, 1];
    const results = await Promise.all(
      quantities.map((quantity) =>
        svc.client.call('createRedemption', { params: { grantId: grant.id }, body: { itemId, quantity } }),
      ),
    );
    const taken = results.reduce((sum, r, i) => sum + (r.status === 201 ? quantities[i]! : 0), 0);
    expect(taken).toBeLessThanOrEqual(10);
    const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
    expect(balance).toMatchObject({ used: taken, remaining: 10 - taken });
    const rows = await redemptionRows(grant.id);
    expect(rows.reduce((sum, r) => sum + Number(r.quantity), 0)).toBe(taken);
  });

  test('a redemption reversed by 10 simultaneous requests gives its units back exactly once', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    const redeemed = await svc.client.call('createRedemption', {
      params: { grantId: grant.id },
      body: { itemId, quantity: 2 },
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        svc.client.call('reverseRedemption', {
          params: { grantId: grant.id, redemptionId: redeemed.body.id },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const refused of results.filter((r) => r.status !== 200)) {
      expect(refused.body).toMatchObject({ status: 409, code: 'invalid_transition' });
    }
    const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
    expect(balance).toMatchObject({ used: 0, remaining: 5 });
  });

  test('the same order granted the same package by 10 simultaneous requests makes one grant', async () => {
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 3 }]);
    const body = { customerId: customerId(), packageId: pkg.id, orderId: orderId() };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => svc.client.call('createGrant', { body })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of results.filter((r) => r.status !== 201)) {
      expect(refused.body).toMatchObject({ status: 409, code: 'already_exists' });
    }
    const grants = await svc.client.call('listGrants', { query: { orderId: body.orderId } });
    expect(grants.body.data).toHaveLength(1);
    expect((await svc.client.call('getPackage', { params: { packageId: pkg.id } })).body.grantCount).toBe(1);
  });
});
