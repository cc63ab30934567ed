// Usage through the management API: the metered counts of an app or of the whole partner over a range of UTC days,
// grouped as asked (hour, day, app, key, operation, status) with latency percentiles, filtered by key or operation,
// with each app's quota consumption from the partner's plan; readable by every role, never across partners, on
// every engine.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { deleteApp } from '../../../keys/src/store/apps';
import { recordUsage, type UsageCount } from '../../../keys/src/store/usage';
import { appOf } from './testing/apps';
import { contextOf } from './testing/audit';
import { teamOf, type Team } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

describeEachStore('portal usage', (store) => {
  let portal: TestPortal;
  let team: Team;
  let batches = 0;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
  });
  afterAll(() => portal.close());

  /** The UTC day `offset` days from the portal's today. */
  const day = (offset = 0) =>
    new Date(portal.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

  /**
   * Records what the gateway's meter would: one batch of counts of the session's partner (a day's counts in its
   * noon hour; without a histogram, the whole count in the bucket of the average latency).
   */
  async function meter(
    session: MemberSession,
    counts: Array<
      Partial<UsageCount> & Pick<UsageCount, 'appId' | 'status' | 'count'> & { day?: string; hour?: string }
    >,
  ): Promise<void> {
    batches += 1;
    await recordUsage(
      portal.deps,
      `bat_portal_${process.pid}_${batches}`,
      counts.map(({ day, ...c }) => ({
        partnerId: session.partner.id,
        environment: 'test',
        credentialId: 'key_01JDQ7X3S4T1V9KX2M5Q8W0KY1',
        api: 'crm',
        operationId: 'listCustomers',
        latencyMsTotal: c.count * 20,
        ...c,
        hour: c.hour ?? `${day}T12:00:00.000Z`,
      })),
    );
  }

  /** Rows whose requests took 20 ms on average, all in the bucket (10, 25]. */
  const P20 = { p50LatencyMs: 18, p95LatencyMs: 24 };

  /** A GET with repeated query parameters (the typed client sets each name once). */
  const get = (session: MemberSession, path: string) =>
    session.client.request('GET', path, { headers: { cookie: session.cookie } });

  test("an app's usage: grouped by day and status in ascending order, totals, and today's quota use", async () => {
    const app = await appOf(portal, team.owner);
    await meter(team.owner, [
      { appId: app.id, day: day(), status: 429, count: 12, latencyMsTotal: 24 },
      { appId: app.id, day: day(), status: 200, count: 715 },
      { appId: app.id, day: day(-1), status: 404, count: 5, latencyMsTotal: 60 },
      { appId: app.id, day: day(-1), status: 200, count: 610 },
      { appId: app.id, day: day(-40), status: 200, count: 1000 },
    ]);
    const response = await get(
      team.viewer,
      `/apps/${app.id}/usage?groupBy=day&groupBy=status&from=${day(-1)}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: day(-1),
      to: day(),
      groupBy: ['day', 'status'],
      totals: {
        requests: 1342,
        errors: 17,
        averageLatencyMs: Math.round((1325 * 20 + 60 + 24) / 1342),
        // The 12 fast refusals sit below (10, 25]: the median moves down within it.
        p50LatencyMs: 17,
        p95LatencyMs: 24,
      },
      rows: [
        { date: day(-1), status: 200, requests: 610, averageLatencyMs: 20, ...P20 },
        { date: day(-1), status: 404, requests: 5, averageLatencyMs: 12, ...P20 },
        { date: day(), status: 200, requests: 715, averageLatencyMs: 20, ...P20 },
        { date: day(), status: 429, requests: 12, averageLatencyMs: 2, p50LatencyMs: 3, p95LatencyMs: 5 },
      ],
      quotas: [
        {
          appId: app.id,
          name: 'day',
          period: 'day',
          limit: 10_000,
          // The 12 requests refused with 429 spent no quota.
          used: 715,
          remaining: 9285,
          resetsAt: `${day(1)}T00:00:00.000Z`,
        },
      ],
    });

    // By default: the 30 days ending today, by day (the 40-day-old count is outside).
    const byDefault = await team.developer.client.call('getAppUsage', { params: { appId: app.id } });
    expect(byDefault.body).toMatchObject({ from: day(-29), to: day(), groupBy: ['day'] });
    expect(byDefault.body.rows).toEqual([
      { date: day(-1), requests: 615, averageLatencyMs: expect.any(Number), ...P20 },
      {
        date: day(),
        requests: 727,
        averageLatencyMs: expect.any(Number),
        p50LatencyMs: 17,
        p95LatencyMs: 24,
      },
    ]);
    const older = await team.owner.client.call('getAppUsage', {
      params: { appId: app.id },
      query: { from: day(-45), to: day(-30), groupBy: 'operation' },
    });
    expect(older.body.rows).toEqual([
      { api: 'crm', operationId: 'listCustomers', requests: 1000, averageLatencyMs: 20, ...P20 },
    ]);
  });

  test("the partner's usage covers every app, deleted ones included, by app and operation, in one environment if asked", async () => {
    const owner = await portal.signUp();
    const a = await appOf(portal, owner);
    const b = await appOf(portal, owner);
    const live = await appOf(portal, owner, 'live');
    await meter(owner, [
      { appId: a.id, day: day(-2), status: 201, count: 2, operationId: 'createCustomer' },
      { appId: a.id, day: day(-1), status: 200, count: 3 },
      { appId: b.id, day: day(), status: 200, count: 4, api: 'orders', operationId: 'listOrders' },
      { appId: live.id, day: day(), status: 500, count: 1, environment: 'live' },
    ]);
    await deleteApp(portal.deps, { partnerId: owner.partner.id }, b.id, contextOf(owner));

    const all = await get(owner, '/usage?groupBy=app&groupBy=operation');
    expect(all.status).toBe(200);
    const byApp = (x: { appId: string }, y: { appId: string }) =>
      x.appId < y.appId ? -1 : x.appId > y.appId ? 1 : 0;
    expect(all.body.rows).toEqual(
      [
        { appId: a.id, api: 'crm', operationId: 'createCustomer', requests: 2, averageLatencyMs: 20, ...P20 },
        { appId: a.id, api: 'crm', operationId: 'listCustomers', requests: 3, averageLatencyMs: 20, ...P20 },
        { appId: b.id, api: 'orders', operationId: 'listOrders', requests: 4, averageLatencyMs: 20, ...P20 },
        {
          appId: live.id,
          api: 'crm',
          operationId: 'listCustomers',
          requests: 1,
          averageLatencyMs: 20,
          ...P20,
        },
      ].sort(byApp),
    );
    expect(all.body.totals).toEqual({ requests: 10, errors: 1, averageLatencyMs: 20, ...P20 });
    // Quotas of the current apps only: the deleted one holds none any more.
    expect(all.body.quotas.map((q: { appId: string }) => q.appId).sort()).toEqual([a.id, live.id].sort());

    const liveOnly = await owner.client.call('getPartnerUsage', {
      query: { environment: 'live', groupBy: 'status' },
    });
    expect(liveOnly.body.rows).toEqual([{ status: 500, requests: 1, averageLatencyMs: 20, ...P20 }]);
    expect(liveOnly.body.quotas.map((q: { appId: string }) => q.appId)).toEqual([live.id]);

    // Another partner's usage never shows.
    const stranger = await portal.signUp();
    const theirs = await stranger.client.call('getPartnerUsage');
    expect(theirs.body).toMatchObject({
      totals: { requests: 0, errors: 0, averageLatencyMs: 0, p50LatencyMs: 0, p95LatencyMs: 0 },
      rows: [],
      quotas: [],
    });
  });

  test('a range that ends before it starts, spans more than 92 days, or an unknown dimension is a 400', async () => {
    const app = await appOf(portal, team.owner);
    for (const query of [
      { from: day(), to: day(-1) },
      { from: day(1) },
      { from: day(-92), to: day() },
      { groupBy: 'customer' },
      { from: 'yesterday' },
      { from: day(-7), groupBy: 'hour' },
      { credentialId: 'key_1' },
      { operationId: 'list customers' },
    ]) {
      const forApp = await team.owner.client.call('getAppUsage', { params: { appId: app.id }, query });
      const forPartner = await team.owner.client.call('getPartnerUsage', { query });
      for (const response of [forApp, forPartner]) {
        expect({ query, status: response.status, code: response.body.code }).toEqual({
          query,
          status: 400,
          code: 'validation_failed',
        });
      }
    }
    const longest = await team.owner.client.call('getAppUsage', {
      params: { appId: app.id },
      query: { from: day(-91), to: day() },
    });
    expect(longest.status).toBe(200);
    const repeated = await get(team.owner, `/apps/${app.id}/usage?groupBy=day&groupBy=day`);
    expect(repeated.status).toBe(400);
  });

  test('by hour and by key over HTTP, filtered to one key or one operation; another partner’s key finds nothing', async () => {
    const owner = await portal.signUp();
    const app = await appOf(portal, owner);
    const keyA = 'key_01JDQ7X3S4T1V9KX2M5Q8W0KA1';
    const keyB = 'key_01JDQ7X3S4T1V9KX2M5Q8W0KB1';
    const hour = (offsetHours: number) => {
      const start = Math.floor(portal.clock.now().getTime() / 3_600_000) * 3_600_000;
      return new Date(start + offsetHours * 3_600_000).toISOString();
    };
    await meter(owner, [
      // key A: 40 in (5, 10] and 60 in (50, 100] an hour ago.
      {
        appId: app.id,
        hour: hour(-1),
        credentialId: keyA,
        status: 200,
        count: 40,
        latencyMsTotal: 320,
        latencyBuckets: [0, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      },
      {
        appId: app.id,
        hour: hour(-1),
        credentialId: keyA,
        operationId: 'createCustomer',
        status: 201,
        count: 60,
        latencyMsTotal: 4200,
        latencyBuckets: [0, 0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0],
      },
      { appId: app.id, hour: hour(0), credentialId: keyB, status: 503, count: 2, latencyMsTotal: 60_000 },
    ]);
    const byHourAndKey = await get(owner, `/apps/${app.id}/usage?from=${day(-1)}&groupBy=hour&groupBy=key`);
    expect(byHourAndKey.status).toBe(200);
    expect(byHourAndKey.body.rows).toEqual(
      [
        {
          hour: hour(-1),
          credentialId: keyA,
          requests: 100,
          averageLatencyMs: 45,
          p50LatencyMs: 58,
          p95LatencyMs: 96,
        },
        // 30 s each: past the last finite bound.
        {
          hour: hour(0),
          credentialId: keyB,
          requests: 2,
          averageLatencyMs: 30_000,
          p50LatencyMs: 10_000,
          p95LatencyMs: 10_000,
        },
      ].sort((x, y) => (x.hour < y.hour ? -1 : 1)),
    );

    const oneKey = await owner.client.call('getPartnerUsage', {
      query: { credentialId: keyA, groupBy: 'operation' },
    });
    expect(
      oneKey.body.rows.map((r: { operationId: string; requests: number }) => [r.operationId, r.requests]),
    ).toEqual([
      ['createCustomer', 60],
      ['listCustomers', 40],
    ]);
    const oneOperation = await owner.client.call('getAppUsage', {
      params: { appId: app.id },
      query: { operationId: 'createCustomer', groupBy: 'key' },
    });
    expect(oneOperation.body.rows).toEqual([expect.objectContaining({ credentialId: keyA, requests: 60 })]);

    const stranger = await portal.signUp();
    const theirs = await stranger.client.call('getPartnerUsage', {
      query: { credentialId: keyA, groupBy: 'key' },
    });
    expect(theirs.body).toMatchObject({ totals: { requests: 0 }, rows: [] });
  });

  test("a missing, deleted or another partner's app is a 404", async () => {
    const app = await appOf(portal, team.owner);
    const stranger = await portal.signUp();
    const foreign = await stranger.client.call('getAppUsage', { params: { appId: app.id } });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'not_found' });
    const unknown = await team.owner.client.call('getAppUsage', {
      params: { appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0AP1' },
    });
    expect(unknown.status).toBe(404);
    await deleteApp(portal.deps, { partnerId: team.owner.partner.id }, app.id, contextOf(team.owner));
    expect((await team.owner.client.call('getAppUsage', { params: { appId: app.id } })).status).toBe(404);
  });
});
