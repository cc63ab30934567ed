// Bad input never reaches the entitlements store: each malformed request to a create or update operation gets a
// problem+json naming the culprit (unknown members inside nested objects too), and nothing is written or changed.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import {
  createActivePackage,
  createService,
  customerId,
  grantOfOneItem,
  packageBody,
} from './testing/fixtures';

describeEachStore('Entitlements bad input', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  const count = (table: keyof EntitlementsTables) => async () =>
    Number(
      (
        await svc.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('createItem refuses every kind of bad input and writes nothing', async () => {
    await expectBadInputRejected(svc.client, {
      operationId: 'createItem',
      validBody: { type: 'service', name: 'Flu shot', category: 'vaccination', unit: 'dose' },
      wrongType: { pointer: '/name', value: 42 },
      missing: '/unit',
      count: count('items'),
    });
  });

  test('createPackage refuses every kind of bad input, unknown members inside items and price too', async () => {
    const item = await createService(svc.client);
    for (const nestedUnknown of ['/items/0/notAField', '/price/notAField']) {
      await expectBadInputRejected(svc.client, {
        operationId: 'createPackage',
        validBody: packageBody([{ itemId: item.id, quantity: 2 }]),
        wrongType: { pointer: '/items/0/quantity', value: '2' },
        missing: '/price',
        nestedUnknown,
        count: count('packages'),
      });
    }
    expect(await count('package_items')()).toBe(0);
  });

  test('updatePackage refuses every kind of bad input and changes nothing', async () => {
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 2 }]);
    for (const nestedUnknown of ['/price/notAField', '/items/0/notAField']) {
      await expectBadInputRejected(svc.client, {
        operationId: 'updatePackage',
        params: { packageId: pkg.id },
        validBody: {
          price: { amount: 279900, currency: 'CNY' },
          items: [{ itemId: item.id, quantity: 3 }],
        },
        wrongType: { pointer: '/price/amount', value: '279900' },
        missing: '/price/currency',
        nestedUnknown,
        count: count('packages'),
      });
    }
    const after = await svc.client.call('getPackage', { params: { packageId: pkg.id } });
    expect(after.body).toEqual(pkg);
  });

  test('createGrant refuses every kind of bad input and writes nothing', async () => {
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 2 }]);
    await expectBadInputRejected(svc.client, {
      operationId: 'createGrant',
      validBody: { customerId: customerId(), packageId: pkg.id },
      wrongType: { pointer: '/packageId', value: 7 },
      missing: '/customerId',
      count: count('grants'),
    });
  });

  test('createRedemption refuses every kind of bad input and writes nothing', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    await expectBadInputRejected(svc.client, {
      operationId: 'createRedemption',
      params: { grantId: grant.id },
      validBody: { itemId, quantity: 1, note: 'Consultation.' },
      wrongType: { pointer: '/quantity', value: 1.5 },
      missing: '/itemId',
      count: count('redemptions'),
    });
    const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
    expect(balance).toMatchObject({ used: 0, remaining: 5 });
  });

  test('out-of-range values are named by their pointer', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    const zero = await svc.client.call('createRedemption', {
      params: { grantId: grant.id },
      body: { itemId, quantity: 0 },
    });
    expect(zero.status).toBe(400);
    expect(zero.body.errors).toEqual([expect.objectContaining({ pointer: '/quantity' })]);
    const negativePrice = await svc.client.call('createPackage', {
      body: packageBody([{ itemId, quantity: 1 }], { price: { amount: -1, currency: 'CNY' } }),
    });
    expect(negativePrice.status).toBe(400);
    expect(negativePrice.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/price/amount' })]),
    );
    const badCustomer = await svc.client.call('createGrant', {
      body: { customerId: 'ord_01JDQ7X3S4T1V9KX2M5Q8W0ZAB', packageId: grant.packageId },
    });
    expect(badCustomer.status).toBe(400);
    expect(badCustomer.body.errors).toEqual([expect.objectContaining({ pointer: '/customerId' })]);
    const noItems = await svc.client.call('createPackage', { body: packageBody([]) });
    expect(noItems.body.errors).toEqual([expect.objectContaining({ pointer: '/items' })]);
  });

  test('a request without a caller identity is refused with 401 before anything else', async () => {
    const res = await svc.client.as(undefined).call('listGrants');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('PorticoIdentity realm="portico"');
  });
});
