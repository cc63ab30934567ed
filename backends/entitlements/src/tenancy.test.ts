// Tenant isolation: another partner's records, and the same partner's records in the other environment, are
// answered exactly like missing ones (404 by id, absent from lists, unknown when referenced in a body), and no
// attempt through another tenant changes them.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { newTestIdentity } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createGoods, createService, customerId } from './testing/fixtures';

describeEachStore('Entitlements tenant isolation', (store) => {
  let svc: TestService<EntitlementsTables>;
  let owner: ContractClient;
  const records = { itemId: '', packageId: '', grantId: '', redemptionId: '', customerId: customerId() };

  beforeAll(async () => {
    svc = await startEntitlements(store);
    const identity = newTestIdentity('test');
    owner = svc.client.as(identity);
    const item = await createService(owner);
    await createGoods(owner, { sku: 'SHARED-SKU-1' });
    const pkg = await createActivePackage(owner, [{ itemId: item.id, quantity: 5 }]);
    const grant = await owner.call('createGrant', {
      body: { customerId: records.customerId, packageId: pkg.id },
    });
    const redemption = await owner.call('createRedemption', {
      params: { grantId: grant.body.id },
      body: { itemId: item.id, quantity: 1 },
    });
    Object.assign(records, {
      itemId: item.id,
      packageId: pkg.id,
      grantId: grant.body.id,
      redemptionId: redemption.body.id,
    });
  });
  afterAll(() => svc.close());

  const strangers: Array<[string, () => ContractClient]> = [
    ['another partner', () => svc.client.as(newTestIdentity('test'))],
    [
      'the same partner in the live environment',
      () => svc.client.as({ partnerId: owner.identity!.partnerId, environment: 'live' }),
    ],
  ];

  for (const [label, stranger] of strangers) {
    describe(label, () => {
      test('gets 404 for every record by id, on reads and on changes', async () => {
        const client = stranger();
        const { itemId, packageId, grantId, redemptionId } = records;
        const calls: Array<[string, Record<string, string>, unknown?]> = [
          ['getItem', { itemId }],
          ['updateItem', { itemId }, { name: 'Hijacked' }],
          ['deactivateItem', { itemId }],
          ['reactivateItem', { itemId }],
          ['deleteItem', { itemId }],
          ['getPackage', { packageId }],
          ['updatePackage', { packageId }, { name: 'Hijacked' }],
          ['activatePackage', { packageId }],
          ['retirePackage', { packageId }],
          ['getGrant', { grantId }],
          ['suspendGrant', { grantId }],
          ['resumeGrant', { grantId }],
          ['revokeGrant', { grantId }],
          ['listGrantEvents', { grantId }],
          ['listRedemptions', { grantId }],
          ['createRedemption', { grantId }, { itemId, quantity: 1 }],
          ['getRedemption', { grantId, redemptionId }],
          ['reverseRedemption', { grantId, redemptionId }],
        ];
        for (const [operationId, params, body] of calls) {
          const res = await client.call(operationId, { params, ...(body ? { body } : {}) });
          expect({ operationId, status: res.status, code: res.body.code }).toEqual({
            operationId,
            status: 404,
            code: 'not_found',
          });
        }
      });

      test('sees none of the records in lists', async () => {
        const client = stranger();
        for (const operationId of ['listItems', 'listPackages', 'listGrants']) {
          expect((await client.call(operationId)).body.data).toEqual([]);
        }
        const byCustomer = await client.call('listGrants', { query: { customerId: records.customerId } });
        expect(byCustomer.body.data).toEqual([]);
        const byItem = await client.call('listPackages', { query: { itemId: records.itemId } });
        expect(byItem.body.data).toEqual([]);
      });

      test("cannot reference the owner's item or package in a body, and may reuse its SKU", async () => {
        const client = stranger();
        const pkg = await client.call('createPackage', {
          body: {
            name: 'Borrowed',
            items: [{ itemId: records.itemId, quantity: 1 }],
            price: { amount: 100, currency: 'CNY' },
            validity: { kind: 'rolling', days: 30 },
          },
        });
        expect(pkg.status).toBe(422);
        const grant = await client.call('createGrant', {
          body: { customerId: records.customerId, packageId: records.packageId },
        });
        expect(grant.status).toBe(422);
        const sku = await createGoods(client, { sku: 'SHARED-SKU-1' });
        expect(sku.sku).toBe('SHARED-SKU-1');
      });
    });
  }

  test("a stray link from the owner's package to another tenant's item is never followed", async () => {
    // Defence in depth: no request can write such a row (items are checked against the tenant), but if a bug or a
    // manual fix ever did, neither the item filter nor the package's items may reach across tenants.
    const item = await createService(owner);
    const pkg = await createActivePackage(owner, [{ itemId: item.id, quantity: 1 }]);
    const identity = newTestIdentity('test');
    const foreign = await createService(svc.client.as(identity), { name: 'Dental cleaning' });
    await svc.database.db
      .insertInto('package_items')
      .values({
        partner_id: identity.partnerId,
        environment: identity.environment,
        package_id: pkg.id,
        item_id: foreign.id,
        quantity: 1,
        position: 1,
      })
      .execute();
    const byForeignItem = await owner.call('listPackages', { query: { itemId: foreign.id } });
    expect(byForeignItem.body.data).toEqual([]);
    const own = await owner.call('getPackage', { params: { packageId: pkg.id } });
    expect(own.body.items.map((i: any) => i.itemId)).toEqual([item.id]);
    const byOwnItem = await owner.call('listPackages', { query: { itemId: item.id } });
    expect(byOwnItem.body.data.map((p: any) => p.id)).toEqual([pkg.id]);
  });

  test("the owner's records are untouched by everything the others tried", async () => {
    const item = await owner.call('getItem', { params: { itemId: records.itemId } });
    expect(item.body).toMatchObject({ name: 'Family doctor consultation', active: true });
    const pkg = await owner.call('getPackage', { params: { packageId: records.packageId } });
    expect(pkg.body).toMatchObject({ name: 'Family Care Annual', status: 'active', grantCount: 1 });
    const grant = await owner.call('getGrant', { params: { grantId: records.grantId } });
    expect(grant.body.status).toBe('active');
    expect(grant.body.balances[0]).toMatchObject({ used: 1, remaining: 4 });
    const redemption = await owner.call('getRedemption', {
      params: { grantId: records.grantId, redemptionId: records.redemptionId },
    });
    expect(redemption.body.status).toBe('completed');
    const events = await owner.call('listGrantEvents', { params: { grantId: records.grantId } });
    expect(events.body.data.map((e: any) => e.type)).toEqual(['redeemed', 'granted']);
  });
});
