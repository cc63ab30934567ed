// Each unique rule of the store answers with its own message and pointer (a duplicate SKU, order or external
// reference), and a refusal from any other unique index (an id collision) is never blamed on the caller's input.
import type { IdGenerator } from '../../../internal/src/ids';
import { ProblemError } from '../../../internal/src/problem/problem';
import { isUniqueViolation } from '../../../internal/src/store/constraint-errors';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsStoreDeps } from './store/deps';
import { createGrant } from './store/grants';
import { createItem } from './store/items';
import { createRedemption } from './store/redemptions';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createService, customerId, grantOfOneItem, orderId } from './testing/fixtures';

describeEachStore('Entitlements unique violations', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  const scope = () => svc.client.identity!;
  /** Store deps whose generator hands out `id` again for `prefix`, as a collision would. */
  const colliding = (prefix: string, id: string): EntitlementsStoreDeps => {
    const newId: IdGenerator = (p) => (p === prefix ? id : svc.deps.newId(p));
    return { db: svc.database.db, clock: svc.deps.clock, newId };
  };
  /** The refusal of `attempt`: the driver's own unique violation, passed on rather than blamed on the input. */
  const internalFailure = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => 'no error',
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(ProblemError);
    // Compared by code, not class: the driver's errors come from another realm than Jest's Error.
    expect(isUniqueViolation(error)).toBe(true);
  };

  test('a duplicate external reference is a 409 naming /externalRef and the reference', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    const body = { itemId, quantity: 1, externalRef: 'appt-2026-0117' };
    expect((await svc.client.call('createRedemption', { params: { grantId: grant.id }, body })).status).toBe(
      201,
    );
    const again = await svc.client.call('createRedemption', { params: { grantId: grant.id }, body });
    expect(again.body).toMatchObject({ status: 409, code: 'already_exists' });
    expect(again.body.detail).toContain("'appt-2026-0117'");
    expect(again.body.errors).toEqual([expect.objectContaining({ pointer: '/externalRef' })]);
  });

  test('a redemption id collision is not reported as a duplicate external reference, and takes nothing', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    const first = await svc.client.call('createRedemption', {
      params: { grantId: grant.id },
      body: { itemId, quantity: 1 },
    });
    const deps = colliding('rdm', first.body.id);
    await internalFailure(createRedemption(deps, scope(), grant.id, { itemId, quantity: 1 }));
    await internalFailure(
      createRedemption(deps, scope(), grant.id, { itemId, quantity: 1, externalRef: 'appt-new' }),
    );
    const after = await svc.client.call('getGrant', { params: { grantId: grant.id } });
    expect(after.body.balances[0]).toMatchObject({ used: 1, remaining: 4 });
  });

  test('a duplicate order is a 409 naming /orderId, and a grant id collision is not', async () => {
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 1 }]);
    const body = { customerId: customerId(), packageId: pkg.id, orderId: orderId() };
    const granted = await svc.client.call('createGrant', { body });
    const again = await svc.client.call('createGrant', { body });
    expect(again.body).toMatchObject({ status: 409, code: 'already_exists' });
    expect(again.body.detail).toContain(`'${body.orderId}'`);
    expect(again.body.errors).toEqual([expect.objectContaining({ pointer: '/orderId' })]);

    const deps = colliding('grt', granted.body.id);
    await internalFailure(createGrant(deps, scope(), { customerId: customerId(), packageId: pkg.id }));
    await internalFailure(
      createGrant(deps, scope(), { customerId: customerId(), packageId: pkg.id, orderId: orderId() }),
    );
    const pkgAfter = await svc.client.call('getPackage', { params: { packageId: pkg.id } });
    expect(pkgAfter.body.grantCount).toBe(1);
  });

  test('an item id collision is not reported as a duplicate SKU', async () => {
    const existing = await createService(svc.client);
    const deps = colliding('itm', existing.id);
    await internalFailure(
      createItem(deps, scope(), {
        type: 'goods',
        name: 'Pulse oximeter',
        category: 'medical_device',
        unit: 'piece',
        sku: 'OXI-COLLIDE-1',
      }),
    );
  });
});
