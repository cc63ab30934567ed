// Date-times the format allows but the store cannot keep as fixed-width UTC text (a leap second, a year past 9999
// once converted to UTC) are a 400 naming the member or parameter, never a 500 nor a stored `+010000-…` value; and
// date-time query parameters work unencoded.
import { manualClock } from '../../../internal/src/clock';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsTables } from './store/schema';
import { createService, customerId, grantOfOneItem, packageBody } from './testing/fixtures';

const LEAP_SECOND = '2016-12-31T23:59:60Z';
/** Year 9999 as written, year 10000 in UTC. */
const PAST_9999_IN_UTC = '9999-12-31T23:30:00-01:00';

describeEachStore('Entitlements unstorable date-times', (store) => {
  const clock = manualClock('2026-01-01T00:00:00.000Z');
  let svc: TestService<EntitlementsTables>;
  beforeAll(async () => {
    svc = await startEntitlements(store, { clock });
  });
  afterAll(() => svc.close());

  const count = async (table: keyof EntitlementsTables) =>
    Number(
      (
        await svc.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const expect400 = (res: { status: number; body: any }, member: Record<string, string>) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(res.body.errors).toEqual([expect.objectContaining(member)]);
  };

  test("a package's fixed validity with a leap second or a year past 9999 is a 400 naming the member", async () => {
    const item = await createService(svc.client);
    const before = await count('packages');
    const fixed = (validFrom: string, validUntil: string) =>
      packageBody([{ itemId: item.id, quantity: 1 }], { validity: { kind: 'fixed', validFrom, validUntil } });

    const leap = await svc.client.call('createPackage', { body: fixed(LEAP_SECOND, '2027-01-01T00:00:00Z') });
    expect400(leap, { pointer: '/validity/validFrom' });
    const far = await svc.client.call('createPackage', {
      body: fixed('2026-03-01T00:00:00Z', PAST_9999_IN_UTC),
    });
    expect400(far, { pointer: '/validity/validUntil' });
    expect(await count('packages')).toBe(before);

    const created = await svc.client.call('createPackage', {
      body: fixed('2026-03-01T08:00:00+08:00', '9999-12-31T23:59:59Z'),
    });
    expect(created.body.validity).toEqual({
      kind: 'fixed',
      validFrom: '2026-03-01T00:00:00.000Z',
      validUntil: '9999-12-31T23:59:59.000Z',
    });
    const update = await svc.client.call('updatePackage', {
      params: { packageId: created.body.id },
      body: { validity: { kind: 'fixed', validFrom: '2026-03-01T00:00:00Z', validUntil: PAST_9999_IN_UTC } },
    });
    expect400(update, { pointer: '/validity/validUntil' });
    const unchanged = await svc.client.call('getPackage', { params: { packageId: created.body.id } });
    expect(unchanged.body).toEqual(created.body);
  });

  test('a redemption at a leap second or past year 9999 is a 400 naming /occurredAt, and takes nothing', async () => {
    const { grant, itemId } = await grantOfOneItem(svc.client, 5);
    for (const occurredAt of [LEAP_SECOND, PAST_9999_IN_UTC]) {
      const res = await svc.client.call('createRedemption', {
        params: { grantId: grant.id },
        body: { itemId, quantity: 1, occurredAt },
      });
      expect400(res, { pointer: '/occurredAt' });
    }
    const after = await svc.client.call('getGrant', { params: { grantId: grant.id } });
    expect(after.body.balances[0]).toMatchObject({ used: 0, remaining: 5 });
  });

  test('a grant starting at a leap second or past year 9999 is a 400 naming /startsAt, and is not made', async () => {
    const { packageId } = await grantOfOneItem(svc.client, 1);
    const before = await count('grants');
    for (const startsAt of [LEAP_SECOND, PAST_9999_IN_UTC]) {
      const res = await svc.client.call('createGrant', {
        body: { customerId: customerId(), packageId, startsAt },
      });
      expect400(res, { pointer: '/startsAt' });
    }
    expect(await count('grants')).toBe(before);
  });

  test('expiresBefore works unencoded and an unstorable value is a 400 naming the parameter', async () => {
    const { grant } = await grantOfOneItem(svc.client, 1, { validity: { kind: 'rolling', days: 30 } });
    const later = await grantOfOneItem(svc.client, 1, { validity: { kind: 'rolling', days: 90 } });
    // Reserved characters (':') as a client would type them; allowReserved in the spec says this is fine.
    const soon = await svc.client.request('GET', '/grants?expiresBefore=2026-02-01T00:00:00Z&limit=100');
    expect(soon.status).toBe(200);
    const ids = soon.body.data.map((g: any) => g.id);
    expect(ids).toContain(grant.id);
    expect(ids).not.toContain(later.grant.id);

    const offset = await svc.client.call('listGrants', {
      query: { expiresBefore: '2026-01-31T08:00:00.001+08:00', limit: 100 },
    });
    expect(offset.body.data.map((g: any) => g.id)).toContain(grant.id);
    const exclusive = await svc.client.call('listGrants', {
      query: { expiresBefore: '2026-01-31T08:00:00+08:00', limit: 100 },
    });
    expect(exclusive.body.data.map((g: any) => g.id)).not.toContain(grant.id);

    for (const expiresBefore of [LEAP_SECOND, PAST_9999_IN_UTC]) {
      const res = await svc.client.call('listGrants', { query: { expiresBefore } });
      expect400(res, { parameter: 'expiresBefore' });
    }
  });
});
