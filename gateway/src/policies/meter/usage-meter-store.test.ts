// The meter against the real keys store on each engine: a write whose answer was lost is retried under the same
// batch id and counted (and logged) once, and a write that failed before reaching the store is counted when retried.
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
      method: 'GET',
      path: '/crm/v1/customers',
      status,
      latencyMs,
      requestId: deps.newId('req'),
    });
  }

  async function countsOf(appId: string) {
    const rows = await deps.db
      .selectFrom('usage_hourly')
      .select(['hour', 'credential_id', 'status', 'count', 'latency_ms_total'])
      .where('app_id', '=', appId)
      .orderBy('status')
      .execute();
    return rows.map((r) => [
      r.hour,
      r.credential_id,
      Number(r.status),
      Number(r.count),
      Number(r.latency_ms_total),
    ]);
  }

  async function loggedOf(appId: string) {
    const rows = await deps.db
      .selectFrom('request_log')
      .select(['status', 'latency_ms'])
      .where('app_id', '=', appId)
      .orderBy('id')
      .execute();
    return rows.map((r) => [Number(r.status), Number(r.latency_ms)]);
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
    const m = meterWith(async (batchId, counts, requests) => {
      batchIds.push(batchId);
      const applied = await recordUsage(deps, batchId, counts, requests);
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
    const appId = make(0, 0).appId;
    expect(await countsOf(appId)).toEqual([
      ['2026-11-24T09:00:00.000Z', 'key_x', 200, 3, 30],
      ['2026-11-24T09:00:00.000Z', 'key_x', 404, 1, 1],
    ]);
    expect(await loggedOf(appId)).toEqual([
      [200, 10],
      [200, 10],
      [200, 10],
      [404, 1],
    ]);
    await m.close();
  });

  test('a batch that failed before the store is written once when retried; later events add to it', async () => {
    const make = await appEvents();
    let down = true;
    const m = meterWith(async (batchId, counts, requests) => {
      if (down) throw new Error('database away');
      return recordUsage(deps, batchId, counts, requests);
    });
    m.record(make(200, 5));
    m.record(make(200, 7));
    await m.flush();
    await m.flush();
    m.record(make(200, 100));
    down = false;
    await m.close();
    const appId = make(0, 0).appId;
    expect(await countsOf(appId)).toEqual([['2026-11-24T09:00:00.000Z', 'key_x', 200, 3, 112]]);
    expect(await loggedOf(appId)).toEqual([
      [200, 5],
      [200, 7],
      [200, 100],
    ]);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesWritten: 2 });
  });
});
