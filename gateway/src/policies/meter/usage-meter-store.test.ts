// The meter against the real keys store on each engine: a write whose answer was lost is retried under the same
// batch id and counted once, and a write that failed before reaching the store is counted when retried.
import { createLogger } from '../../../../internal/src/logger';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { openKeysStore, signUp, testApp, type TestDeps } from '../../../../keys/src/store/test-fixtures';
import { recordUsage } from '../../../../keys/src/store/usage';
import { createUsageMeter, type RecordUsage, type UsageEvent } from './usage-meter';

const logger = createLogger({ level: 'silent' });

describeEachStore('usage meter with the keys store', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'usage_meter');
  });

  async function appEvents() {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    return (status: number, latencyMs: number): UsageEvent => ({
      partnerId: tenant.partner.id,
      appId: app.id,
      environment: 'test',
      credentialId: 'key_x',
      api: 'crm',
      operationId: 'listCustomers',
      status,
      latencyMs,
      requestId: 'req_x',
    });
  }

  async function countsOf(appId: string) {
    const rows = await deps.db
      .selectFrom('usage_daily')
      .select(['day', 'status', 'count', 'latency_ms_total'])
      .where('app_id', '=', appId)
      .orderBy('status')
      .execute();
    return rows.map((r) => [r.day, r.status, Number(r.count), Number(r.latency_ms_total)]);
  }

  function meterWith(record: RecordUsage) {
    return createUsageMeter({
      record,
      clock: deps.clock,
      logger,
      newId: deps.newId,
      flushIntervalMs: 3_600_000,
    });
  }

  test('a batch that committed but whose answer was lost is retried with its id and counted once', async () => {
    const make = await appEvents();
    const batchIds: string[] = [];
    let loseAnswer = true;
    const m = meterWith(async (batchId, counts) => {
      batchIds.push(batchId);
      const applied = await recordUsage(deps, batchId, counts);
      if (loseAnswer) throw new Error('connection reset after commit');
      return applied;
    });
    for (let i = 0; i < 3; i++) m.record(make(200, 10));
    m.record(make(404, 1));
    await m.flush();
    expect(m.stats()).toMatchObject({ bufferedEvents: 4, consecutiveFailures: 1 });

    loseAnswer = false;
    await m.flush();
    expect(batchIds).toHaveLength(2);
    expect(batchIds[1]).toBe(batchIds[0]);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesAlreadyApplied: 1, batchesWritten: 0 });
    expect(await countsOf(make(0, 0).appId)).toEqual([
      ['2026-11-24', 200, 3, 30],
      ['2026-11-24', 404, 1, 1],
    ]);
    await m.close();
  });

  test('a batch that failed before the store is written once when retried; later events add to it', async () => {
    const make = await appEvents();
    let down = true;
    const m = meterWith(async (batchId, counts) => {
      if (down) throw new Error('database away');
      return recordUsage(deps, batchId, counts);
    });
    m.record(make(200, 5));
    m.record(make(200, 7));
    await m.flush();
    await m.flush();
    m.record(make(200, 100));
    down = false;
    await m.close();
    expect(await countsOf(make(0, 0).appId)).toEqual([['2026-11-24', 200, 3, 112]]);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesWritten: 2 });
  });
});
