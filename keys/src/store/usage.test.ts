// Usage counts are added with one portable upsert per batch; a retried batch is counted once.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { recordUsage, type UsageCount } from './usage';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

describeEachStore('usage counts', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'usage');
  });

  test('adds to existing counts, merges repeats within a batch, and ignores a batch seen before', async () => {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    const count = (status: number, n: number, latency: number): UsageCount => ({
      partnerId: t.partner.id,
      appId: app.id,
      environment: 'test',
      day: '2026-11-24',
      api: 'crm',
      operationId: 'listCustomers',
      status,
      count: n,
      latencyMsTotal: latency,
    });
    expect(await recordUsage(deps, 'bat_1', [count(200, 3, 30), count(200, 2, 20), count(429, 1, 1)])).toBe(
      true,
    );
    expect(await recordUsage(deps, 'bat_2', [count(200, 5, 50)])).toBe(true);
    expect(await recordUsage(deps, 'bat_2', [count(200, 5, 50)])).toBe(false);
    const rows = await deps.db
      .selectFrom('usage_daily')
      .select(['status', 'count', 'latency_ms_total'])
      .where('app_id', '=', app.id)
      .orderBy('status')
      .execute();
    expect(rows).toEqual([
      { status: 200, count: 10, latency_ms_total: 100 },
      { status: 429, count: 1, latency_ms_total: 1 },
    ]);
  });

  test('concurrent batches for the same row lose no count', async () => {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordUsage(deps, `bat_c${i}`, [
          {
            partnerId: t.partner.id,
            appId: app.id,
            environment: 'test',
            day: '2026-11-25',
            api: 'orders',
            operationId: 'createOrder',
            status: 201,
            count: 7,
            latencyMsTotal: 70,
          },
        ]),
      ),
    );
    const row = await deps.db
      .selectFrom('usage_daily')
      .select('count')
      .where('app_id', '=', app.id)
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(70);
  });
});
