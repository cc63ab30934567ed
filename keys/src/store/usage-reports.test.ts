// Usage reports sum the metered hourly counts over a range of UTC days, grouped as asked (by hour, day, app, key,
// operation, status), with latency percentiles from the merged histograms and each app's quota use.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { deleteApp } from './apps';
import { changePartnerPlan } from './partners';
import { PRO_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';
import { LATENCY_BUCKET_COLUMNS, recordUsage, type UsageCount } from './usage';
import { estimateLatencyQuantile, resolveUsageRange, usageReport } from './usage-reports';

/** A histogram with `n` requests in each given bucket index (bounds 5, 10, 25, 50, 100, 250, … 10000, over). */
const histogram = (entries: Record<number, number>) => LATENCY_BUCKET_COLUMNS.map((_, i) => entries[i] ?? 0);

describe('estimateLatencyQuantile', () => {
  test.each([
    ['an empty histogram', 0.5, {}, 0],
    ['all in the first bucket: interpolated from 0', 0.5, { 0: 10 }, 3],
    ['all in the first bucket, p95', 0.95, { 0: 10 }, 5],
    ['one bucket (25, 50]: the middle', 0.5, { 3: 4 }, 38],
    ['one bucket (25, 50], p95', 0.95, { 3: 100 }, 49],
    ['two buckets: the rank lands in the second', 0.5, { 1: 40, 4: 60 }, 58],
    ['two buckets: the rank at the first one’s top', 0.4, { 1: 40, 4: 60 }, 10],
    ['two buckets, p95', 0.95, { 1: 40, 4: 60 }, 96],
    ['empty buckets in between are skipped', 0.95, { 0: 90, 9: 10 }, 3750],
    ['the overflow bucket gives the highest finite bound', 0.95, { 1: 1, 11: 99 }, 10000],
    ['q = 1 is the top of the last non-empty bucket', 1, { 2: 3, 5: 1 }, 250],
    ['q = 0 is the bottom of the first non-empty bucket', 0, { 2: 3, 5: 1 }, 10],
  ])('%s: q=%p → %p ms', (_label, q, buckets, expected) => {
    expect(estimateLatencyQuantile(q, histogram(buckets))).toBe(expected);
  });
});

describeEachStore('usage reports', (store) => {
  let deps: TestDeps;
  let batches = 0;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'usage_reports');
  });

  /**
   * Records one batch of counts (each: app, day or hour, operation, status, count, total latency; a day's counts go
   * in its noon hour). Without a histogram, the whole count lands in the bucket of the average latency.
   */
  async function seed(
    partnerId: string,
    counts: Array<
      Partial<UsageCount> & Pick<UsageCount, 'appId' | 'status' | 'count'> & { day?: string; hour?: string }
    >,
  ): Promise<void> {
    batches += 1;
    await recordUsage(
      deps,
      `bat_report_${batches}`,
      counts.map(({ day, ...c }) => ({
        partnerId,
        environment: 'test',
        credentialId: 'key_seed',
        api: 'crm',
        operationId: 'listCustomers',
        latencyMsTotal: c.count * 10,
        ...c,
        hour: c.hour ?? `${day}T12:00:00.000Z`,
      })),
    );
  }

  /** The percentiles of rows whose requests all took 10 ms on average (the bucket (5, 10]). */
  const P10 = { p50LatencyMs: 8, p95LatencyMs: 10 };

  test('groups by day and status in ascending order; totals count errors (status ≥ 400) and average latency', async () => {
    deps.clock.set('2026-11-25T12:00:00.000Z');
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    await seed(t.partner.id, [
      { appId: app.id, day: '2026-11-25', status: 429, count: 12, latencyMsTotal: 24 },
      { appId: app.id, day: '2026-11-25', status: 200, count: 715, latencyMsTotal: 715 * 51 },
      { appId: app.id, day: '2026-11-24', status: 404, count: 5, latencyMsTotal: 60 },
      { appId: app.id, day: '2026-11-24', status: 200, count: 610, latencyMsTotal: 610 * 45 },
      { appId: app.id, day: '2026-11-23', status: 200, count: 99 },
    ]);
    const report = await usageReport(
      deps,
      { partnerId: t.partner.id },
      { appId: app.id, from: '2026-11-24', to: '2026-11-25', groupBy: ['day', 'status'] },
    );
    // Each row's whole count sits in the bucket of its average: (25, 50], (10, 25], (50, 100], [0, 5].
    expect(report.rows).toEqual([
      {
        date: '2026-11-24',
        status: 200,
        requests: 610,
        averageLatencyMs: 45,
        p50LatencyMs: 38,
        p95LatencyMs: 49,
      },
      {
        date: '2026-11-24',
        status: 404,
        requests: 5,
        averageLatencyMs: 12,
        p50LatencyMs: 18,
        p95LatencyMs: 24,
      },
      {
        date: '2026-11-25',
        status: 200,
        requests: 715,
        averageLatencyMs: 51,
        p50LatencyMs: 75,
        p95LatencyMs: 98,
      },
      {
        date: '2026-11-25',
        status: 429,
        requests: 12,
        averageLatencyMs: 2,
        p50LatencyMs: 3,
        p95LatencyMs: 5,
      },
    ]);
    const latency = 610 * 45 + 60 + 715 * 51 + 24;
    // The totals merge the four histograms: ranks 671 and 1274.9 of 1342 both fall in (50, 100] (627 below it).
    expect(report.totals).toEqual({
      requests: 1342,
      errors: 17,
      averageLatencyMs: Math.round(latency / 1342),
      p50LatencyMs: 53,
      p95LatencyMs: 95,
    });
    expect(report).toMatchObject({ from: '2026-11-24', to: '2026-11-25', groupBy: ['day', 'status'] });
    // The free plan's daily quota counts today's requests, refused ones included, and resets at UTC midnight.
    expect(report.quotas).toEqual([
      {
        appId: app.id,
        name: 'day',
        period: 'day',
        limit: 10_000,
        used: 715,
        remaining: 9285,
        resetsAt: '2026-11-26T00:00:00.000Z',
      },
    ]);
  });

  test('the partner report covers every app (deleted ones too), by app and operation, optionally in one environment', async () => {
    deps.clock.set('2026-11-25T12:00:00.000Z');
    const t = await signUp(deps);
    const a = await testApp(deps, t);
    const b = await testApp(deps, t);
    const gone = await testApp(deps, t);
    await seed(t.partner.id, [
      { appId: a.id, day: '2026-11-20', status: 200, count: 3, operationId: 'listCustomers' },
      { appId: a.id, day: '2026-11-21', status: 201, count: 2, operationId: 'createCustomer' },
      { appId: b.id, day: '2026-11-21', status: 200, count: 4, api: 'orders', operationId: 'listOrders' },
      { appId: gone.id, day: '2026-11-22', status: 500, count: 1 },
      { appId: b.id, day: '2026-11-22', status: 200, count: 8, environment: 'live' },
    ]);
    await deleteApp(deps, { partnerId: t.partner.id }, gone.id, t.as);
    const scope = { partnerId: t.partner.id };
    const report = await usageReport(deps, scope, { groupBy: ['app', 'operation'], environment: 'test' });
    const expected = [
      { appId: a.id, api: 'crm', operationId: 'createCustomer', requests: 2, averageLatencyMs: 10, ...P10 },
      { appId: a.id, api: 'crm', operationId: 'listCustomers', requests: 3, averageLatencyMs: 10, ...P10 },
      { appId: b.id, api: 'orders', operationId: 'listOrders', requests: 4, averageLatencyMs: 10, ...P10 },
      { appId: gone.id, api: 'crm', operationId: 'listCustomers', requests: 1, averageLatencyMs: 10, ...P10 },
    ].sort((x, y) => (x.appId < y.appId ? -1 : x.appId > y.appId ? 1 : 0));
    expect(report.rows).toEqual(expected);
    expect(report.totals).toEqual({ requests: 10, errors: 1, averageLatencyMs: 10, ...P10 });
    expect(report).toMatchObject({ from: '2026-10-27', to: '2026-11-25' });
    // Quotas belong to the current apps only.
    expect(report.quotas.map((q) => q.appId).sort()).toEqual([a.id, b.id].sort());

    const everywhere = await usageReport(deps, scope, { groupBy: ['status'] });
    expect(everywhere.rows).toEqual([
      { status: 200, requests: 15, averageLatencyMs: 10, ...P10 },
      { status: 201, requests: 2, averageLatencyMs: 10, ...P10 },
      { status: 500, requests: 1, averageLatencyMs: 10, ...P10 },
    ]);
  });

  test('groups by hour and by key, merging the histograms of the rows each group adds up', async () => {
    deps.clock.set('2026-11-25T12:00:00.000Z');
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    await seed(t.partner.id, [
      // key_a at 09:00: 40 fast (5, 10] and 60 in (50, 100], on two operations.
      {
        appId: app.id,
        hour: '2026-11-25T09:00:00.000Z',
        credentialId: 'key_a',
        status: 200,
        count: 40,
        latencyMsTotal: 320,
        latencyBuckets: histogram({ 1: 40 }),
      },
      {
        appId: app.id,
        hour: '2026-11-25T09:00:00.000Z',
        credentialId: 'key_a',
        operationId: 'createCustomer',
        status: 201,
        count: 60,
        latencyMsTotal: 4800,
        latencyBuckets: histogram({ 4: 60 }),
      },
      // key_b at 10:00: slow.
      {
        appId: app.id,
        hour: '2026-11-25T10:00:00.000Z',
        credentialId: 'key_b',
        status: 500,
        count: 10,
        latencyMsTotal: 30_000,
        latencyBuckets: histogram({ 9: 10 }),
      },
    ]);
    const scope = { partnerId: t.partner.id };
    const report = await usageReport(deps, scope, {
      appId: app.id,
      from: '2026-11-25',
      groupBy: ['hour', 'key'],
    });
    expect(report.rows).toEqual([
      {
        hour: '2026-11-25T09:00:00.000Z',
        credentialId: 'key_a',
        requests: 100,
        averageLatencyMs: 51,
        // Ranks 50 and 95 of 100: both in (50, 100], which starts after 40.
        p50LatencyMs: 58,
        p95LatencyMs: 96,
      },
      {
        hour: '2026-11-25T10:00:00.000Z',
        credentialId: 'key_b',
        requests: 10,
        averageLatencyMs: 3000,
        p50LatencyMs: 3750,
        p95LatencyMs: 4875,
      },
    ]);

    // Filters: one key, one operation; the quotas are the app's whatever the filter.
    const keyA = await usageReport(deps, scope, { credentialId: 'key_a', groupBy: ['operation'] });
    expect(keyA.rows.map((r) => [r.operationId, r.requests])).toEqual([
      ['createCustomer', 60],
      ['listCustomers', 40],
    ]);
    expect(keyA.totals).toMatchObject({ requests: 100, errors: 0 });
    const created = await usageReport(deps, scope, { operationId: 'createCustomer', groupBy: ['key'] });
    expect(created.rows).toEqual([expect.objectContaining({ credentialId: 'key_a', requests: 60 })]);
    expect(created.quotas).toEqual([expect.objectContaining({ used: 110 })]);
    // Another partner naming this key finds nothing.
    const stranger = await signUp(deps);
    const theirs = await usageReport(deps, { partnerId: stranger.partner.id }, { credentialId: 'key_a' });
    expect(theirs.totals.requests).toBe(0);
  });

  test('grouping by hour is refused past 7 days, naming groupBy', async () => {
    deps.clock.set('2026-11-25T12:00:00.000Z');
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    await expect(usageReport(deps, scope, { from: '2026-11-19', groupBy: ['hour'] })).resolves.toMatchObject({
      rows: [],
    });
    await expect(usageReport(deps, scope, { from: '2026-11-18', groupBy: ['hour'] })).rejects.toMatchObject({
      status: 400,
      options: { errors: [{ parameter: 'groupBy' }] },
    });
  });

  test("a monthly quota counts the calendar month; another partner's counts never appear", async () => {
    deps.clock.set('2026-12-03T08:00:00.000Z');
    const t = await signUp(deps, PRO_PLAN_ID);
    const other = await signUp(deps);
    const app = await testApp(deps, t);
    const foreign = await testApp(deps, other);
    await seed(t.partner.id, [
      { appId: app.id, day: '2026-11-30', status: 200, count: 50 },
      { appId: app.id, day: '2026-12-01', status: 200, count: 7 },
      { appId: app.id, day: '2026-12-03', status: 200, count: 5 },
    ]);
    await seed(other.partner.id, [{ appId: foreign.id, day: '2026-12-03', status: 200, count: 1000 }]);
    const report = await usageReport(deps, { partnerId: t.partner.id }, {});
    expect(report.groupBy).toEqual(['day']);
    expect(report.totals.requests).toBe(62);
    expect(report.rows.map((r) => r.date)).toEqual(['2026-11-30', '2026-12-01', '2026-12-03']);
    expect(report.quotas).toEqual([
      expect.objectContaining({
        name: 'day',
        used: 5,
        remaining: 199_995,
        resetsAt: '2026-12-04T00:00:00.000Z',
      }),
      expect.objectContaining({
        name: 'month',
        used: 12,
        limit: 5_000_000,
        resetsAt: '2027-01-01T00:00:00.000Z',
      }),
    ]);
  });

  test('quotas follow the plan the partner is on now', async () => {
    deps.clock.set('2026-11-25T12:00:00.000Z');
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    const before = await usageReport(deps, { partnerId: t.partner.id }, { appId: app.id });
    expect(before.quotas.map((q) => q.name)).toEqual(['day']);
    await changePartnerPlan(deps, t.partner.id, PRO_PLAN_ID, OPERATOR);
    const after = await usageReport(deps, { partnerId: t.partner.id }, { appId: app.id });
    expect(after.quotas.map((q) => q.name)).toEqual(['day', 'month']);
  });

  test("no requests: zero totals, no rows, the full quota remaining; another partner's app is a 404", async () => {
    const t = await signUp(deps);
    const other = await signUp(deps);
    const app = await testApp(deps, t);
    const report = await usageReport(deps, { partnerId: t.partner.id }, { appId: app.id });
    expect(report.totals).toEqual({
      requests: 0,
      errors: 0,
      averageLatencyMs: 0,
      p50LatencyMs: 0,
      p95LatencyMs: 0,
    });
    expect(report.rows).toEqual([]);
    expect(report.quotas[0]).toMatchObject({ used: 0, remaining: 10_000 });
    await expect(usageReport(deps, { partnerId: other.partner.id }, { appId: app.id })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
  });

  test('the range defaults to the 30 days ending today, and refuses one reversed or longer than 92 days', () => {
    expect(resolveUsageRange('2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(resolveUsageRange('2026-03-01', undefined, '2026-02-10')).toEqual({
      from: '2026-01-12',
      to: '2026-02-10',
    });
    expect(resolveUsageRange('2026-03-01', '2026-01-01', '2026-04-02')).toEqual({
      from: '2026-01-01',
      to: '2026-04-02',
    });
    expect(() => resolveUsageRange('2026-03-01', '2026-01-01', '2026-04-03')).toThrow(/at most 92/);
    expect(() => resolveUsageRange('2026-03-01', '2026-03-02')).toThrow(/after it ends/);
  });
});
