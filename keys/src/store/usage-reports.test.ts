// Usage reports sum the metered counts over a range of UTC days, grouped as asked, with each app's quota use.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { deleteApp } from './apps';
import { changePartnerPlan } from './partners';
import { PRO_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';
import { recordUsage, type UsageCount } from './usage';
import { resolveUsageRange, usageReport } from './usage-reports';

describeEachStore('usage reports', (store) => {
  let deps: TestDeps;
  let batches = 0;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'usage_reports');
  });

  /** Records one batch of counts (each: app, day, operation, status, count, total latency). */
  async function seed(
    partnerId: string,
    counts: Array<Partial<UsageCount> & Pick<UsageCount, 'appId' | 'day' | 'status' | 'count'>>,
  ): Promise<void> {
    batches += 1;
    await recordUsage(
      deps,
      `bat_report_${batches}`,
      counts.map((c) => ({
        partnerId,
        environment: 'test',
        api: 'crm',
        operationId: 'listCustomers',
        latencyMsTotal: c.count * 10,
        ...c,
      })),
    );
  }

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
    expect(report.rows).toEqual([
      { date: '2026-11-24', status: 200, requests: 610, averageLatencyMs: 45 },
      { date: '2026-11-24', status: 404, requests: 5, averageLatencyMs: 12 },
      { date: '2026-11-25', status: 200, requests: 715, averageLatencyMs: 51 },
      { date: '2026-11-25', status: 429, requests: 12, averageLatencyMs: 2 },
    ]);
    const latency = 610 * 45 + 60 + 715 * 51 + 24;
    expect(report.totals).toEqual({
      requests: 1342,
      errors: 17,
      averageLatencyMs: Math.round(latency / 1342),
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
      { appId: a.id, api: 'crm', operationId: 'createCustomer', requests: 2, averageLatencyMs: 10 },
      { appId: a.id, api: 'crm', operationId: 'listCustomers', requests: 3, averageLatencyMs: 10 },
      { appId: b.id, api: 'orders', operationId: 'listOrders', requests: 4, averageLatencyMs: 10 },
      { appId: gone.id, api: 'crm', operationId: 'listCustomers', requests: 1, averageLatencyMs: 10 },
    ].sort((x, y) => (x.appId < y.appId ? -1 : x.appId > y.appId ? 1 : 0));
    expect(report.rows).toEqual(expected);
    expect(report.totals).toEqual({ requests: 10, errors: 1, averageLatencyMs: 10 });
    expect(report).toMatchObject({ from: '2026-10-27', to: '2026-11-25' });
    // Quotas belong to the current apps only.
    expect(report.quotas.map((q) => q.appId).sort()).toEqual([a.id, b.id].sort());

    const everywhere = await usageReport(deps, scope, { groupBy: ['status'] });
    expect(everywhere.rows).toEqual([
      { status: 200, requests: 15, averageLatencyMs: 10 },
      { status: 201, requests: 2, averageLatencyMs: 10 },
      { status: 500, requests: 1, averageLatencyMs: 10 },
    ]);
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
    expect(report.totals).toEqual({ requests: 0, errors: 0, averageLatencyMs: 0 });
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
