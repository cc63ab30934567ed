// Hourly usage counts (with their latency histograms) are added with one portable upsert per batch, the batch's
// request-log entries are written with them, and a retried batch adds neither twice.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { RequestLogInput } from './request-log';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';
import { latencyBucketOf, LATENCY_BUCKET_COLUMNS, recordUsage, type UsageCount } from './usage';

describe('latencyBucketOf', () => {
  test.each([
    [0, 0],
    [5, 0],
    [5.1, 1],
    [10, 1],
    [11, 2],
    [250, 5],
    [251, 6],
    [10_000, 10],
    [10_001, 11],
    [3_600_000, 11],
  ])('%p ms falls in bucket %p', (latencyMs, bucket) => {
    expect(latencyBucketOf(latencyMs)).toBe(bucket);
  });
});

describeEachStore('usage counts', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'usage');
  });

  const hourly = (appId: string) =>
    deps.db
      .selectFrom('usage_hourly')
      .selectAll()
      .where('app_id', '=', appId)
      .orderBy('hour')
      .orderBy('credential_id')
      .orderBy('status')
      .execute()
      .then((rows) =>
        rows.map((r) => ({
          hour: r.hour,
          credential: r.credential_id,
          status: Number(r.status),
          count: Number(r.count),
          latency: Number(r.latency_ms_total),
          buckets: LATENCY_BUCKET_COLUMNS.map((c) => Number(r[c])),
        })),
      );

  const histogram = (entries: Record<number, number>) =>
    LATENCY_BUCKET_COLUMNS.map((_, i) => entries[i] ?? 0);

  test('adds to existing counts and histograms per hour and credential, and ignores a batch seen before', async () => {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    const count = (
      hour: string,
      credentialId: string,
      status: number,
      n: number,
      latency: number,
      latencyBuckets?: number[],
    ): UsageCount => ({
      partnerId: t.partner.id,
      appId: app.id,
      environment: 'test',
      hour,
      credentialId,
      api: 'crm',
      operationId: 'listCustomers',
      status,
      count: n,
      latencyMsTotal: latency,
      ...(latencyBuckets ? { latencyBuckets } : {}),
    });
    const h10 = '2026-11-24T10:00:00.000Z';
    const h11 = '2026-11-24T11:00:00.000Z';
    expect(
      await recordUsage(deps, 'bat_1', [
        count(h10, 'key_a', 200, 3, 30, histogram({ 1: 3 })),
        count(h10, 'key_a', 200, 2, 120, histogram({ 0: 1, 6: 1 })),
        count(h10, 'key_b', 200, 1, 7, histogram({ 1: 1 })),
        // No histogram given: the whole count goes in the bucket of the average (600 / 2 = 300 ms → (250, 500]).
        count(h11, 'key_a', 429, 2, 600),
      ]),
    ).toBe(true);
    expect(await recordUsage(deps, 'bat_2', [count(h10, 'key_a', 200, 5, 50, histogram({ 1: 5 }))])).toBe(
      true,
    );
    expect(await recordUsage(deps, 'bat_2', [count(h10, 'key_a', 200, 5, 50, histogram({ 1: 5 }))])).toBe(
      false,
    );
    expect(await hourly(app.id)).toEqual([
      {
        hour: h10,
        credential: 'key_a',
        status: 200,
        count: 10,
        latency: 200,
        buckets: histogram({ 0: 1, 1: 8, 6: 1 }),
      },
      { hour: h10, credential: 'key_b', status: 200, count: 1, latency: 7, buckets: histogram({ 1: 1 }) },
      { hour: h11, credential: 'key_a', status: 429, count: 2, latency: 600, buckets: histogram({ 6: 2 }) },
    ]);
  });

  test('concurrent batches for the same row lose no count', async () => {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordUsage(deps, `bat_c${i}_${app.id}`, [
          {
            partnerId: t.partner.id,
            appId: app.id,
            environment: 'test',
            hour: '2026-11-25T08:00:00.000Z',
            credentialId: 'key_c',
            api: 'orders',
            operationId: 'createOrder',
            status: 201,
            count: 7,
            latencyMsTotal: 70,
            latencyBuckets: histogram({ 2: 7 }),
          },
        ]),
      ),
    );
    expect(await hourly(app.id)).toEqual([
      {
        hour: '2026-11-25T08:00:00.000Z',
        credential: 'key_c',
        status: 201,
        count: 70,
        latency: 700,
        buckets: histogram({ 2: 70 }),
      },
    ]);
  });

  test('a retried batch writes its request-log entries once, with its counts; an entry seen before is skipped', async () => {
    const t = await signUp(deps);
    const app = await testApp(deps, t);
    const entry = (requestId: string): RequestLogInput => ({
      requestId,
      partnerId: t.partner.id,
      appId: app.id,
      credentialId: 'key_l',
      environment: 'test',
      api: 'crm',
      operationId: 'getCustomer',
      method: 'GET',
      path: '/crm/v1/customers/cus_1',
      status: 404,
      latencyMs: 12,
      startedAt: '2026-11-24T09:29:59.988Z',
      finishedAt: '2026-11-24T09:30:00.000Z',
    });
    const counts: UsageCount[] = [
      {
        partnerId: t.partner.id,
        appId: app.id,
        environment: 'test',
        hour: '2026-11-24T09:00:00.000Z',
        credentialId: 'key_l',
        api: 'crm',
        operationId: 'getCustomer',
        status: 404,
        count: 2,
        latencyMsTotal: 24,
      },
    ];
    const batchId = `bat_log_${app.id}`;
    const ids = [`req_A${app.id.slice(4)}`, `req_B${app.id.slice(4)}`];
    expect(await recordUsage(deps, batchId, counts, ids.map(entry))).toBe(true);
    expect(await recordUsage(deps, batchId, counts, ids.map(entry))).toBe(false);
    // Another batch carrying an entry already logged (never sent by the meter, but the log stays single).
    expect(await recordUsage(deps, `${batchId}_2`, [], [entry(ids[0]!)])).toBe(true);
    const logged = await deps.db
      .selectFrom('request_log')
      .select(['id', 'status', 'latency_ms'])
      .where('app_id', '=', app.id)
      .orderBy('id')
      .execute();
    expect(logged.map((r) => [r.id, Number(r.status), Number(r.latency_ms)])).toEqual([
      [ids[0], 404, 12],
      [ids[1], 404, 12],
    ]);
    expect((await hourly(app.id)).map((r) => r.count)).toEqual([2]);
  });

  test('batch ids older than the retention are forgotten by later batches, a chunk at a time', async () => {
    const now = deps.clock.now().getTime();
    const old = (minute: number) => new Date(now - 8 * 86_400_000 + minute * 60_000).toISOString();
    const recent = new Date(now - 60_000).toISOString();
    await deps.db
      .insertInto('usage_batches')
      .values([
        { id: 'bat_old_1', applied_at: old(1) },
        { id: 'bat_old_2', applied_at: old(2) },
        { id: 'bat_old_3', applied_at: old(3) },
        { id: 'bat_recent', applied_at: recent },
      ])
      .execute();
    const remaining = async () =>
      (await deps.db.selectFrom('usage_batches').select('id').where('id', 'like', 'bat_%').execute())
        .map((r) => r.id)
        .filter((id) => id.startsWith('bat_old') || id === 'bat_recent' || id.startsWith('bat_prune'))
        .sort();
    await recordUsage(deps, 'bat_prune_a', [], [], { prunePerBatch: 2 });
    expect(await remaining()).toEqual(['bat_old_3', 'bat_prune_a', 'bat_recent']);
    await recordUsage(deps, 'bat_prune_b', [], [], { prunePerBatch: 2 });
    expect(await remaining()).toEqual(['bat_prune_a', 'bat_prune_b', 'bat_recent']);
  });
});
