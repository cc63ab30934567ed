// Grants expire when their time is up, with a manual clock instead of sleeping: an expired grant reads as expired
// everywhere, refuses every change, and its history records the expiry exactly once.
import { manualClock } from '../../../internal/src/clock';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createService, customerId, grantOfOneItem } from './testing/fixtures';

const DAY_MS = 86_400_000;

describeEachStore('Entitlements expiry', (store) => {
  const clock = manualClock('2026-01-01T00:00:00.000Z');
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store, { clock });
  });
  afterAll(() => svc.close());
  beforeEach(() => clock.set('2026-01-01T00:00:00.000Z'));

  test('a rolling grant is redeemable until the last millisecond and expired from its expiry on', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 10, {
      validity: { kind: 'rolling', days: 30 },
    });
    expect(grant).toMatchObject({
      startsAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-31T00:00:00.000Z',
    });
    const grantId = grant.id as string;

    clock.set('2026-01-30T23:59:59.999Z');
    const last = await svc.client.call('createRedemption', {
      params: { grantId },
      body: { itemId, quantity: 1 },
    });
    expect(last.status).toBe(201);

    clock.set('2026-01-31T00:00:00.000Z');
    const refused = await svc.client.call('createRedemption', {
      params: { grantId },
      body: { itemId, quantity: 1 },
    });
    expect(refused.body).toMatchObject({ status: 409, code: 'invalid_transition', currentStatus: 'expired' });
    expect((await svc.client.call('getGrant', { params: { grantId } })).body.status).toBe('expired');

    for (const action of ['suspendGrant', 'resumeGrant', 'revokeGrant']) {
      const res = await svc.client.call(action, { params: { grantId } });
      expect(res.body).toMatchObject({ status: 409, code: 'invalid_transition', currentStatus: 'expired' });
    }
    const reverse = await svc.client.call('reverseRedemption', {
      params: { grantId, redemptionId: last.body.id },
    });
    expect(reverse.body).toMatchObject({ status: 409, code: 'invalid_transition', currentStatus: 'expired' });

    const events = await svc.client.call('listGrantEvents', { params: { grantId } });
    expect(events.body.data.map((e: any) => e.type)).toEqual(['expired', 'redeemed', 'granted']);
    expect(events.body.data[0]).toMatchObject({
      occurredAt: '2026-01-31T00:00:00.000Z',
      createdAt: '2026-01-31T00:00:00.000Z',
    });
    const balance = (await svc.client.call('getGrant', { params: { grantId } })).body.balances[0];
    expect(balance).toMatchObject({ used: 1, remaining: 9 });
  });

  test('lists filter on the status a grant has now, not the one last written', async () => {
    const { grant, packageId } = await grantOfOneItem(svc.client, 1, {
      validity: { kind: 'rolling', days: 7 },
    });
    const active = await svc.client.call('listGrants', { query: { packageId, status: 'active' } });
    expect(active.body.data.map((g: any) => g.id)).toEqual([grant.id]);

    clock.advance(8 * DAY_MS);
    // No request touched the grant itself since it expired.
    const stillActive = await svc.client.call('listGrants', { query: { packageId, status: 'active' } });
    expect(stillActive.body.data).toEqual([]);
    const expired = await svc.client.call('listGrants', { query: { packageId, status: 'expired' } });
    expect(expired.body.data.map((g: any) => [g.id, g.status])).toEqual([[grant.id, 'expired']]);
  });

  test('a suspended grant expires too, and the expiry is recorded once however often it is read', async () => {
    const { grant } = await grantOfOneItem(svc.client, 1, { validity: { kind: 'rolling', days: 1 } });
    await svc.client.call('suspendGrant', { params: { grantId: grant.id } });
    clock.advance(2 * DAY_MS);
    await Promise.all(
      Array.from({ length: 5 }, () => svc.client.call('getGrant', { params: { grantId: grant.id } })),
    );
    await svc.client.call('listGrants');
    const events = await svc.client.call('listGrantEvents', { params: { grantId: grant.id } });
    expect(events.body.data.map((e: any) => e.type)).toEqual(['expired', 'suspended', 'granted']);
  });

  test('a fixed-window package grants its own window, which cannot be granted once it has ended', async () => {
    const item = await createService(svc.client, {
      name: 'Influenza vaccination',
      category: 'vaccination',
      unit: 'dose',
    });
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 1 }], {
      name: 'Flu Season 2026',
      validity: {
        kind: 'fixed',
        validFrom: '2026-03-01T00:00:00.000Z',
        validUntil: '2026-06-01T00:00:00.000Z',
      },
    });
    const withStart = await svc.client.call('createGrant', {
      body: { customerId: customerId(), packageId: pkg.id, startsAt: '2026-04-01T00:00:00.000Z' },
    });
    expect(withStart.status).toBe(422);
    expect(withStart.body.errors).toEqual([expect.objectContaining({ pointer: '/startsAt' })]);

    const grant = await svc.client.call('createGrant', {
      body: { customerId: customerId(), packageId: pkg.id },
    });
    expect(grant.body).toMatchObject({
      startsAt: '2026-03-01T00:00:00.000Z',
      expiresAt: '2026-06-01T00:00:00.000Z',
    });
    const early = await svc.client.call('createRedemption', {
      params: { grantId: grant.body.id },
      body: { itemId: item.id, quantity: 1 },
    });
    expect(early.body).toMatchObject({ status: 409, code: 'invalid_transition' });

    clock.set('2026-03-15T09:00:00.000Z');
    const inSeason = await svc.client.call('createRedemption', {
      params: { grantId: grant.body.id },
      body: { itemId: item.id, quantity: 1, occurredAt: '2026-03-15T08:30:00+00:00' },
    });
    expect(inSeason.body).toMatchObject({ occurredAt: '2026-03-15T08:30:00.000Z', remainingAfter: 0 });

    clock.set('2026-06-01T00:00:00.000Z');
    const late = await svc.client.call('createGrant', {
      body: { customerId: customerId(), packageId: pkg.id },
    });
    expect(late.body).toMatchObject({ status: 409, code: 'conflict' });
  });

  test('a rolling grant cannot be backdated so far that it would already have expired', async () => {
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 1 }], {
      validity: { kind: 'rolling', days: 30 },
    });
    const backdated = await svc.client.call('createGrant', {
      body: { customerId: customerId(), packageId: pkg.id, startsAt: '2025-11-01T00:00:00.000Z' },
    });
    expect(backdated.status).toBe(422);
    expect(backdated.body.errors).toEqual([expect.objectContaining({ pointer: '/startsAt' })]);
    const recent = await svc.client.call('createGrant', {
      body: { customerId: customerId(), packageId: pkg.id, startsAt: '2025-12-20T00:00:00.000Z' },
    });
    expect(recent.body).toMatchObject({ status: 'active', expiresAt: '2026-01-19T00:00:00.000Z' });
  });
});
