// Contract tests for the entitlements backend: every operation of specs/entitlements is called, and every response
// — success or error — is validated against the spec by the client. The last test fails if an operation was never
// called.
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createGoods, createService, customerId, orderId } from './testing/fixtures';

describeEachStore('Entitlements contract', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  describe('catalogue', () => {
    test('creates, reads, updates, lists, deactivates, reactivates and deletes items', async () => {
      const { client } = svc;
      const created = await client.call('createItem', {
        body: {
          type: 'service',
          name: 'Annual health check',
          description: 'Full physical examination.',
          category: 'health_check',
          unit: 'visit',
          metadata: { code: 'HC-01' },
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'service', active: true, used: false, unit: 'visit' });
      expect(created.headers.get('location')).toMatch(
        new RegExp(`^/entitlements/v1/items/${created.body.id}$`),
      );
      const itemId = created.body.id as string;

      expect((await client.call('getItem', { params: { itemId } })).body).toEqual(created.body);

      const updated = await client.call('updateItem', {
        params: { itemId },
        body: { name: 'Annual health check (premium)', description: null, unit: 'session' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ name: 'Annual health check (premium)', unit: 'session' });
      expect(updated.body.description).toBeUndefined();

      const goods = await createGoods(client);
      const onlyGoods = await client.call('listItems', { query: { type: 'goods' } });
      expect(onlyGoods.body.data.map((i: any) => i.id)).toEqual([goods.id]);

      const deactivated = await client.call('deactivateItem', { params: { itemId } });
      expect(deactivated.body).toMatchObject({ active: false, deactivatedAt: expect.any(String) });
      const inactive = await client.call('listItems', { query: { active: false } });
      expect(inactive.body.data.map((i: any) => i.id)).toEqual([itemId]);
      const reactivated = await client.call('reactivateItem', { params: { itemId } });
      expect(reactivated.body.active).toBe(true);
      expect(reactivated.body.deactivatedAt).toBeUndefined();

      expect((await client.call('deleteItem', { params: { itemId } })).status).toBe(204);
      expect((await client.call('getItem', { params: { itemId } })).status).toBe(404);
      expect((await client.call('deleteItem', { params: { itemId } })).status).toBe(404);
    });

    test('goods need a unique SKU and services have none', async () => {
      const { client } = svc;
      const noSku = await client.call('createItem', {
        body: { type: 'goods', name: 'Glucose test strips', category: 'test_kit', unit: 'box' },
      });
      expect(noSku.status).toBe(422);
      expect(noSku.body.errors).toEqual([expect.objectContaining({ pointer: '/sku' })]);
      const serviceSku = await client.call('createItem', {
        body: { type: 'service', name: 'Flu shot', category: 'vaccination', unit: 'dose', sku: 'FLU-1' },
      });
      expect(serviceSku.status).toBe(422);
      const first = await createGoods(client, { sku: 'STRIPS-50' });
      const dup = await client.call('createItem', {
        body: { type: 'goods', name: 'Strips', category: 'test_kit', unit: 'box', sku: 'STRIPS-50' },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('already_exists');
      const other = await createGoods(client, { sku: 'STRIPS-100' });
      const dupUpdate = await client.call('updateItem', {
        params: { itemId: other.id },
        body: { sku: 'STRIPS-50' },
      });
      expect(dupUpdate.status).toBe(409);
      expect(dupUpdate.body.code).toBe('already_exists');
      expect((await client.call('getItem', { params: { itemId: first.id } })).body.sku).toBe('STRIPS-50');
    });

    test('an item used by a package cannot be deleted nor change its unit, but can be deactivated', async () => {
      const { client } = svc;
      const item = await createService(client, { name: 'Physiotherapy session', category: 'physiotherapy' });
      await client.call('createPackage', {
        body: {
          name: 'Back Care',
          items: [{ itemId: item.id, quantity: 6 }],
          price: { amount: 120000, currency: 'CNY' },
          validity: { kind: 'rolling', days: 90 },
        },
      });
      expect((await client.call('getItem', { params: { itemId: item.id } })).body.used).toBe(true);
      const deleted = await client.call('deleteItem', { params: { itemId: item.id } });
      expect(deleted.status).toBe(409);
      expect(deleted.body.code).toBe('conflict');
      const unit = await client.call('updateItem', { params: { itemId: item.id }, body: { unit: 'visit' } });
      expect(unit.status).toBe(409);
      const renamed = await client.call('updateItem', {
        params: { itemId: item.id },
        body: { name: 'Physio' },
      });
      expect(renamed.status).toBe(200);
      expect((await client.call('deactivateItem', { params: { itemId: item.id } })).status).toBe(200);
    });
  });

  describe('packages', () => {
    test('creates a draft, updates it, publishes it and retires it', async () => {
      const { client } = svc;
      const consult = await createService(client);
      const monitor = await createGoods(client);
      const created = await client.call('createPackage', {
        body: {
          name: 'Family Care Annual',
          description: 'A year of family-doctor care.',
          items: [
            { itemId: consult.id, quantity: 12 },
            { itemId: monitor.id, quantity: 1 },
          ],
          price: { amount: 299900, currency: 'CNY' },
          validity: { kind: 'rolling', days: 365 },
        },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(
        new RegExp(`^/entitlements/v1/packages/${created.body.id}$`),
      );
      expect(created.body).toMatchObject({
        status: 'draft',
        grantCount: 0,
        items: [
          { itemId: consult.id, name: consult.name, type: 'service', unit: 'session', quantity: 12 },
          { itemId: monitor.id, type: 'goods', unit: 'piece', quantity: 1 },
        ],
      });
      const packageId = created.body.id as string;

      const updated = await client.call('updatePackage', {
        params: { packageId },
        body: {
          price: { amount: 279900, currency: 'CNY' },
          items: [{ itemId: consult.id, quantity: 10 }],
          validity: {
            kind: 'fixed',
            validFrom: '2026-01-01T00:00:00+08:00',
            validUntil: '2027-01-01T00:00:00Z',
          },
        },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.price).toEqual({ amount: 279900, currency: 'CNY' });
      expect(updated.body.items).toEqual([expect.objectContaining({ itemId: consult.id, quantity: 10 })]);
      // Offsets are normalised to UTC milliseconds.
      expect(updated.body.validity).toEqual({
        kind: 'fixed',
        validFrom: '2025-12-31T16:00:00.000Z',
        validUntil: '2027-01-01T00:00:00.000Z',
      });

      const active = await client.call('activatePackage', { params: { packageId } });
      expect(active.body).toMatchObject({ status: 'active', activatedAt: expect.any(String) });
      expect((await client.call('getPackage', { params: { packageId } })).body).toEqual(active.body);
      const listed = await client.call('listPackages', { query: { status: 'active', itemId: consult.id } });
      expect(listed.body.data.map((p: any) => p.id)).toEqual([packageId]);

      const retired = await client.call('retirePackage', { params: { packageId } });
      expect(retired.body).toMatchObject({ status: 'retired', retiredAt: expect.any(String) });
      const again = await client.call('retirePackage', { params: { packageId } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'invalid_transition', currentStatus: 'retired' });
    });

    test('refuses unknown, repeated and inactive items, and an empty fixed window', async () => {
      const { client } = svc;
      const item = await createService(client);
      const body = (items: unknown, validity: unknown = { kind: 'rolling', days: 30 }) => ({
        name: 'Broken',
        items,
        price: { amount: 100, currency: 'CNY' },
        validity,
      });
      const unknown = await client.call('createPackage', {
        body: body([
          { itemId: item.id, quantity: 1 },
          { itemId: 'itm_01JDQ7X3S4T1V9KX2M5Q8W0ZZZ', quantity: 1 },
        ]),
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ pointer: '/items/1/itemId' })]);
      const repeated = await client.call('createPackage', {
        body: body([
          { itemId: item.id, quantity: 1 },
          { itemId: item.id, quantity: 2 },
        ]),
      });
      expect(repeated.status).toBe(422);
      expect(repeated.body.errors).toEqual([expect.objectContaining({ pointer: '/items/1/itemId' })]);
      const window = await client.call('createPackage', {
        body: body([{ itemId: item.id, quantity: 1 }], {
          kind: 'fixed',
          validFrom: '2026-03-01T00:00:00Z',
          validUntil: '2026-03-01T00:00:00Z',
        }),
      });
      expect(window.status).toBe(422);
      expect(window.body.errors).toEqual([expect.objectContaining({ pointer: '/validity/validUntil' })]);
      await client.call('deactivateItem', { params: { itemId: item.id } });
      const inactive = await client.call('createPackage', { body: body([{ itemId: item.id, quantity: 1 }]) });
      expect(inactive.status).toBe(409);
      expect(inactive.body.code).toBe('conflict');
    });
  });

  describe('grants and redemptions', () => {
    test('grants a package, redeems, reverses, suspends, resumes and revokes with a full history', async () => {
      const { client } = svc;
      const consult = await createService(client);
      const check = await createService(client, {
        name: 'Annual health check',
        category: 'health_check',
        unit: 'visit',
      });
      const monitor = await createGoods(client);
      const pkg = await createActivePackage(client, [
        { itemId: consult.id, quantity: 12 },
        { itemId: check.id, quantity: 1 },
        { itemId: monitor.id, quantity: 1 },
      ]);
      const customer = customerId();
      const order = orderId();

      const created = await client.call('createGrant', {
        body: { customerId: customer, packageId: pkg.id, orderId: order, note: 'Paid at the front desk.' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toMatch(
        new RegExp(`^/entitlements/v1/grants/${created.body.id}$`),
      );
      expect(created.body).toMatchObject({
        customerId: customer,
        packageId: pkg.id,
        packageName: pkg.name,
        orderId: order,
        status: 'active',
        balances: [
          { itemId: consult.id, granted: 12, used: 0, remaining: 12, unit: 'session', type: 'service' },
          { itemId: check.id, granted: 1, used: 0, remaining: 1, unit: 'visit' },
          { itemId: monitor.id, granted: 1, used: 0, remaining: 1, unit: 'piece', type: 'goods' },
        ],
      });
      const days = (Date.parse(created.body.expiresAt) - Date.parse(created.body.startsAt)) / 86_400_000;
      expect(days).toBe(365);
      const grantId = created.body.id as string;
      expect((await client.call('getPackage', { params: { packageId: pkg.id } })).body.grantCount).toBe(1);

      const duplicate = await client.call('createGrant', {
        body: { customerId: customer, packageId: pkg.id, orderId: order },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('already_exists');

      const redeemed = await client.call('createRedemption', {
        params: { grantId },
        body: { itemId: consult.id, quantity: 2, note: 'Two visits this week.', externalRef: 'appt-1' },
      });
      expect(redeemed.status).toBe(201);
      expect(redeemed.headers.get('location')).toMatch(
        new RegExp(`^/entitlements/v1/grants/${grantId}/redemptions/${redeemed.body.id}$`),
      );
      expect(redeemed.body).toMatchObject({ status: 'completed', quantity: 2, remainingAfter: 10 });
      const redemptionId = redeemed.body.id as string;

      const sameRef = await client.call('createRedemption', {
        params: { grantId },
        body: { itemId: consult.id, quantity: 1, externalRef: 'appt-1' },
      });
      expect(sameRef.status).toBe(409);
      expect(sameRef.body.code).toBe('already_exists');

      const tooMany = await client.call('createRedemption', {
        params: { grantId },
        body: { itemId: monitor.id, quantity: 2 },
      });
      expect(tooMany.status).toBe(409);
      expect(tooMany.body).toMatchObject({ code: 'insufficient_balance', remaining: 1, requested: 2 });

      const notInGrant = await client.call('createRedemption', {
        params: { grantId },
        body: { itemId: 'itm_01JDQ7X3S4T1V9KX2M5Q8W0ZZZ', quantity: 1 },
      });
      expect(notInGrant.status).toBe(422);
      expect(notInGrant.body.errors).toEqual([expect.objectContaining({ pointer: '/itemId' })]);

      const got = await client.call('getRedemption', { params: { grantId, redemptionId } });
      expect(got.body).toEqual(redeemed.body);
      const listed = await client.call('listRedemptions', { params: { grantId } });
      expect(listed.body.data.map((r: any) => r.id)).toEqual([redemptionId]);

      const reversed = await client.call('reverseRedemption', {
        params: { grantId, redemptionId },
        body: { reason: 'Recorded against the wrong patient.' },
      });
      expect(reversed.body).toMatchObject({
        status: 'reversed',
        reversedAt: expect.any(String),
        reversalReason: 'Recorded against the wrong patient.',
      });
      const grant = await client.call('getGrant', { params: { grantId } });
      expect(grant.body.balances[0]).toMatchObject({ granted: 12, used: 0, remaining: 12 });

      expect(
        (await client.call('suspendGrant', { params: { grantId }, body: { reason: 'Card lost.' } })).body
          .status,
      ).toBe('suspended');
      expect((await client.call('resumeGrant', { params: { grantId } })).body.status).toBe('active');
      expect(
        (await client.call('revokeGrant', { params: { grantId }, body: { reason: 'Refunded.' } })).body
          .status,
      ).toBe('revoked');

      const history = await client.call('listGrantEvents', { params: { grantId } });
      expect(history.body.data.map((e: any) => e.type)).toEqual([
        'revoked',
        'resumed',
        'suspended',
        'reversed',
        'redeemed',
        'granted',
      ]);
      expect(history.body.data[0]).toMatchObject({ reason: 'Refunded.' });
      expect(history.body.data[4]).toMatchObject({ redemptionId, itemId: consult.id, quantity: 2 });
      const onlyRedeemed = await client.call('listGrantEvents', {
        params: { grantId },
        query: { type: 'redeemed' },
      });
      expect(onlyRedeemed.body.data).toHaveLength(1);

      const byCustomer = await client.call('listGrants', { query: { customerId: customer } });
      expect(byCustomer.body.data.map((g: any) => g.id)).toEqual([grantId]);
    });

    test('only an active package can be granted, and a missing one is named in the body', async () => {
      const { client } = svc;
      const item = await createService(client);
      const draft = await client.call('createPackage', {
        body: {
          name: 'Draft',
          items: [{ itemId: item.id, quantity: 1 }],
          price: { amount: 100, currency: 'CNY' },
          validity: { kind: 'rolling', days: 30 },
        },
      });
      const refused = await client.call('createGrant', {
        body: { customerId: customerId(), packageId: draft.body.id },
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'conflict', packageStatus: 'draft' });
      const missing = await client.call('createGrant', {
        body: { customerId: customerId(), packageId: 'pkg_01JDQ7X3S4T1V9KX2M5Q8W0ZZZ' },
      });
      expect(missing.status).toBe(422);
      expect(missing.body.errors).toEqual([expect.objectContaining({ pointer: '/packageId' })]);
      expect(
        (await client.call('getPackage', { params: { packageId: draft.body.id } })).body.grantCount,
      ).toBe(0);
    });

    test('unknown ids are 404 on every id route', async () => {
      const { client } = svc;
      const id = (prefix: string) => `${prefix}_01JDQ7X3S4T1V9KX2M5Q8W0ZZZ`;
      const calls: Array<[string, Record<string, string>]> = [
        ['getItem', { itemId: id('itm') }],
        ['updateItem', { itemId: id('itm') }],
        ['deactivateItem', { itemId: id('itm') }],
        ['reactivateItem', { itemId: id('itm') }],
        ['getPackage', { packageId: id('pkg') }],
        ['updatePackage', { packageId: id('pkg') }],
        ['activatePackage', { packageId: id('pkg') }],
        ['retirePackage', { packageId: id('pkg') }],
        ['getGrant', { grantId: id('grt') }],
        ['suspendGrant', { grantId: id('grt') }],
        ['resumeGrant', { grantId: id('grt') }],
        ['revokeGrant', { grantId: id('grt') }],
        ['listGrantEvents', { grantId: id('grt') }],
        ['listRedemptions', { grantId: id('grt') }],
        ['createRedemption', { grantId: id('grt') }],
        ['getRedemption', { grantId: id('grt'), redemptionId: id('rdm') }],
        ['reverseRedemption', { grantId: id('grt'), redemptionId: id('rdm') }],
      ];
      const bodies: Record<string, unknown> = {
        updateItem: { name: 'x' },
        updatePackage: { name: 'x' },
        createRedemption: { itemId: id('itm'), quantity: 1 },
      };
      for (const [operationId, params] of calls) {
        const res = await client.call(operationId, {
          params,
          ...(bodies[operationId] ? { body: bodies[operationId] } : {}),
        });
        expect({ operationId, status: res.status, code: res.body.code }).toEqual({
          operationId,
          status: 404,
          code: 'not_found',
        });
      }
    });
  });

  test('every operation of specs/entitlements was called', () => {
    expect(svc.client.uncovered()).toEqual([]);
  });
});
