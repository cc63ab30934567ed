// The lifecycles are enforced: grants (active ⇄ suspended → revoked), packages (draft → active → retired), items
// (active ⇄ inactive) and redemptions (completed → reversed, once). Every illegal move is a 409 that changes nothing.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
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

type GrantStatus = 'active' | 'suspended' | 'revoked';
type Action = 'suspendGrant' | 'resumeGrant' | 'revokeGrant';

/** From each status, where each action leads (undefined: refused with 409 invalid_transition). */
const GRANT_TRANSITIONS: Record<GrantStatus, Record<Action, GrantStatus | undefined>> = {
  active: { suspendGrant: 'suspended', resumeGrant: undefined, revokeGrant: 'revoked' },
  suspended: { suspendGrant: undefined, resumeGrant: 'active', revokeGrant: 'revoked' },
  revoked: { suspendGrant: undefined, resumeGrant: undefined, revokeGrant: undefined },
};

async function grantIn(client: ContractClient, status: GrantStatus) {
  const made = await grantOfOneItem(client, 5);
  if (status !== 'active') {
    const op = status === 'suspended' ? 'suspendGrant' : 'revokeGrant';
    expect((await client.call(op, { params: { grantId: made.grant.id } })).status).toBe(200);
  }
  return made;
}

describeEachStore('Entitlements transitions', (store) => {
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store);
  });
  afterAll(() => svc.close());

  describe('grants', () => {
    for (const [from, actions] of Object.entries(GRANT_TRANSITIONS) as Array<
      [GrantStatus, (typeof GRANT_TRANSITIONS)['active']]
    >) {
      for (const [action, to] of Object.entries(actions) as Array<[Action, GrantStatus | undefined]>) {
        test(`${action} on a ${from} grant ${to ? `moves it to ${to}` : 'is refused and changes nothing'}`, async () => {
          const { grant } = await grantIn(svc.client, from);
          const res = await svc.client.call(action, { params: { grantId: grant.id } });
          const after = await svc.client.call('getGrant', { params: { grantId: grant.id } });
          const events = await svc.client.call('listGrantEvents', { params: { grantId: grant.id } });
          if (to) {
            expect(res.status).toBe(200);
            expect(res.body.status).toBe(to);
            expect(after.body.status).toBe(to);
            expect(events.body.data[0].type).toBe(
              { active: 'resumed', suspended: 'suspended', revoked: 'revoked' }[to],
            );
          } else {
            expect(res.status).toBe(409);
            expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: from });
            expect(after.body.status).toBe(from);
            expect(events.body.data).toHaveLength(from === 'active' ? 1 : 2);
          }
        });
      }
    }

    test('a suspended grant refuses redemptions until it is resumed', async () => {
      const { grant, itemId } = await grantIn(svc.client, 'suspended');
      const refused = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1 },
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'invalid_transition', currentStatus: 'suspended' });
      await svc.client.call('resumeGrant', { params: { grantId: grant.id } });
      const accepted = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1 },
      });
      expect(accepted.status).toBe(201);
    });

    test('a revoked grant refuses redemptions and reversals', async () => {
      const { grant, itemId } = await grantOfOneItem(svc.client, 5);
      const redeemed = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1 },
      });
      await svc.client.call('revokeGrant', { params: { grantId: grant.id } });
      const redeem = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1 },
      });
      expect(redeem.body).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        currentStatus: 'revoked',
      });
      const reverse = await svc.client.call('reverseRedemption', {
        params: { grantId: grant.id, redemptionId: redeemed.body.id },
      });
      expect(reverse.body).toMatchObject({ status: 409, code: 'invalid_transition' });
      const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
      expect(balance).toMatchObject({ used: 1, remaining: 4 });
    });

    test('a grant that has not started refuses redemptions; a redemption cannot be dated in the future', async () => {
      const item = await createService(svc.client);
      const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 2 }]);
      const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const grant = await svc.client.call('createGrant', {
        body: { customerId: customerId(), packageId: pkg.id, startsAt: later },
      });
      expect(grant.body.startsAt).toBe(later);
      const early = await svc.client.call('createRedemption', {
        params: { grantId: grant.body.id },
        body: { itemId: item.id, quantity: 1 },
      });
      expect(early.body).toMatchObject({ status: 409, code: 'invalid_transition' });
      expect(early.body.detail).toMatch(/does not start until/);

      const { grant: running, itemId } = await grantOfOneItem(svc.client, 2);
      const future = await svc.client.call('createRedemption', {
        params: { grantId: running.id },
        body: { itemId, quantity: 1, occurredAt: later },
      });
      expect(future.status).toBe(422);
      expect(future.body.errors).toEqual([expect.objectContaining({ pointer: '/occurredAt' })]);
    });

    test('a suspended grant may still have a redemption reversed, and only once', async () => {
      const { grant, itemId } = await grantOfOneItem(svc.client, 3);
      const redeemed = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 3 },
      });
      expect(redeemed.body.remainingAfter).toBe(0);
      await svc.client.call('suspendGrant', { params: { grantId: grant.id } });
      const params = { grantId: grant.id, redemptionId: redeemed.body.id };
      expect((await svc.client.call('reverseRedemption', { params })).status).toBe(200);
      const again = await svc.client.call('reverseRedemption', { params });
      expect(again.body).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        currentStatus: 'reversed',
      });
      const balance = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body.balances[0];
      expect(balance).toMatchObject({ used: 0, remaining: 3 });
      const reversed = await svc.client.call('listRedemptions', {
        params: { grantId: grant.id },
        query: { status: 'reversed' },
      });
      expect(reversed.body.data.map((r: any) => r.id)).toEqual([redeemed.body.id]);
    });
  });

  describe('packages', () => {
    test('draft → active → retired; every other move is refused', async () => {
      const item = await createService(svc.client);
      const draft = await svc.client.call('createPackage', {
        body: packageBody([{ itemId: item.id, quantity: 1 }]),
      });
      const packageId = draft.body.id as string;
      const retireDraft = await svc.client.call('retirePackage', { params: { packageId } });
      expect(retireDraft.body).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        currentStatus: 'draft',
      });
      expect((await svc.client.call('activatePackage', { params: { packageId } })).body.status).toBe(
        'active',
      );
      const activateAgain = await svc.client.call('activatePackage', { params: { packageId } });
      expect(activateAgain.body).toMatchObject({ status: 409, currentStatus: 'active' });
      expect((await svc.client.call('retirePackage', { params: { packageId } })).body.status).toBe('retired');
      const reactivate = await svc.client.call('activatePackage', { params: { packageId } });
      expect(reactivate.body).toMatchObject({ status: 409, currentStatus: 'retired' });

      const grant = await svc.client.call('createGrant', { body: { customerId: customerId(), packageId } });
      expect(grant.body).toMatchObject({ status: 409, code: 'conflict', packageStatus: 'retired' });
      const update = await svc.client.call('updatePackage', {
        params: { packageId },
        body: { name: 'Renamed' },
      });
      expect(update.body).toMatchObject({ status: 409, code: 'conflict' });
      expect((await svc.client.call('getPackage', { params: { packageId } })).body.name).toBe(
        'Family Care Annual',
      );
    });

    test('a package with an inactive item cannot be published and stays a draft', async () => {
      const item = await createService(svc.client);
      const draft = await svc.client.call('createPackage', {
        body: packageBody([{ itemId: item.id, quantity: 1 }]),
      });
      await svc.client.call('deactivateItem', { params: { itemId: item.id } });
      const res = await svc.client.call('activatePackage', { params: { packageId: draft.body.id } });
      expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
      expect(
        (await svc.client.call('getPackage', { params: { packageId: draft.body.id } })).body.status,
      ).toBe('draft');
    });

    test("a granted package's items are frozen, while grants keep their snapshot of names and quantities", async () => {
      const { grant, itemId, packageId } = await grantOfOneItem(svc.client, 4);
      const other = await createService(svc.client, {
        name: 'Vaccination',
        category: 'vaccination',
        unit: 'dose',
      });
      const change = await svc.client.call('updatePackage', {
        params: { packageId },
        body: { items: [{ itemId: other.id, quantity: 1 }] },
      });
      expect(change.status).toBe(409);
      expect(change.body.errors).toEqual([expect.objectContaining({ pointer: '/items' })]);
      const pkg = await svc.client.call('getPackage', { params: { packageId } });
      expect(pkg.body.items).toEqual([expect.objectContaining({ itemId, quantity: 4 })]);
      // Other fields may still change, for future grants.
      const price = await svc.client.call('updatePackage', {
        params: { packageId },
        body: { price: { amount: 1000, currency: 'CNY' }, description: 'Cheaper now.' },
      });
      expect(price.status).toBe(200);
      await svc.client.call('updateItem', { params: { itemId }, body: { name: 'Renamed consultation' } });
      const snapshot = (await svc.client.call('getGrant', { params: { grantId: grant.id } })).body
        .balances[0];
      expect(snapshot).toMatchObject({ name: 'Family doctor consultation', granted: 4 });
    });
  });

  describe('items', () => {
    test('deactivating an inactive item or reactivating an active one is refused', async () => {
      const item = await createService(svc.client);
      const reactivate = await svc.client.call('reactivateItem', { params: { itemId: item.id } });
      expect(reactivate.body).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        currentStatus: 'active',
      });
      await svc.client.call('deactivateItem', { params: { itemId: item.id } });
      const again = await svc.client.call('deactivateItem', { params: { itemId: item.id } });
      expect(again.body).toMatchObject({
        status: 409,
        code: 'invalid_transition',
        currentStatus: 'inactive',
      });
    });

    test('deactivating an item leaves existing grants redeemable', async () => {
      const { grant, itemId } = await grantOfOneItem(svc.client, 2);
      await svc.client.call('deactivateItem', { params: { itemId } });
      const res = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1 },
      });
      expect(res.status).toBe(201);
    });
  });
});
