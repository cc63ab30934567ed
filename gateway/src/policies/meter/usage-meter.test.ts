// The meter folds events into daily counts, writes them in batches off the response path, retries a failed batch
// under the same id with a capped back-off, bounds its memory, splits counts at the UTC day boundary and flushes on
// close. The store is a recording function here; usage-meter-store.test.ts runs against the real one.
import { manualClock, type Clock } from '../../../../internal/src/clock';
import { createIdGenerator } from '../../../../internal/src/ids';
import { createLogger } from '../../../../internal/src/logger';
import type { UsageCount } from '../../../../keys/src/store/usage';
import { createUsageMeter, type RecordUsage, type UsageEvent, type UsageMeterOptions } from './usage-meter';

const logger = createLogger({ level: 'silent' });

interface Call {
  batchId: string;
  counts: UsageCount[];
}

/** A store stand-in that records every call and fails while `failing` is set. */
function fakeStore() {
  const calls: Call[] = [];
  const applied = new Set<string>();
  const state = { failing: false };
  const record: RecordUsage = async (batchId, counts) => {
    calls.push({ batchId, counts: counts.map((c) => ({ ...c })) });
    if (state.failing) throw new Error('database away');
    if (applied.has(batchId)) return false;
    applied.add(batchId);
    return true;
  };
  return { calls, state, record };
}

function event(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    partnerId: 'prt_1',
    appId: 'app_1',
    environment: 'test',
    credentialId: 'key_1',
    api: 'crm',
    operationId: 'listCustomers',
    status: 200,
    latencyMs: 10,
    requestId: 'req_1',
    ...overrides,
  };
}

function meter(record: RecordUsage, options: Partial<UsageMeterOptions> & { clock?: Clock } = {}) {
  const clock = options.clock ?? manualClock('2026-11-24T10:00:00.000Z');
  // A long interval: these tests drive flush() themselves and must not race the timer.
  return createUsageMeter({
    record,
    clock,
    logger,
    newId: createIdGenerator(() => clock.now().getTime()),
    flushIntervalMs: 3_600_000,
    ...options,
  });
}

const sortCounts = (counts: UsageCount[]) =>
  [...counts].sort((a, b) => `${a.operationId}${a.status}`.localeCompare(`${b.operationId}${b.status}`));

describe('createUsageMeter', () => {
  test('many events become one write of aggregated counts; recording alone writes nothing', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    for (let i = 0; i < 1000; i++) m.record(event({ latencyMs: 2, requestId: `req_${i}` }));
    for (let i = 0; i < 10; i++) m.record(event({ status: 429, latencyMs: 0.4 }));
    m.record(event({ operationId: 'createCustomer', status: 201, latencyMs: 30.6 }));
    expect(store.calls).toEqual([]);
    expect(m.stats()).toMatchObject({ bufferedEvents: 1011, bufferedRows: 3 });

    await m.flush();
    expect(store.calls).toHaveLength(1);
    const base = { partnerId: 'prt_1', appId: 'app_1', environment: 'test', day: '2026-11-24', api: 'crm' };
    expect(sortCounts(store.calls[0]!.counts)).toEqual([
      { ...base, operationId: 'createCustomer', status: 201, count: 1, latencyMsTotal: 31 },
      { ...base, operationId: 'listCustomers', status: 200, count: 1000, latencyMsTotal: 2000 },
      { ...base, operationId: 'listCustomers', status: 429, count: 10, latencyMsTotal: 0 },
    ]);
    expect(store.calls[0]!.batchId).toMatch(/^bat_/);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, bufferedRows: 0, batchesWritten: 1 });

    await m.flush();
    expect(store.calls).toHaveLength(1);
    await m.close();
  });

  test('counts are kept apart per app, api, operation and status', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    m.record(event());
    m.record(event({ appId: 'app_2', partnerId: 'prt_2', environment: 'live' }));
    m.record(event({ api: 'orders' }));
    m.record(event({ status: 404 }));
    m.record(event());
    await m.close();
    const rows = store.calls[0]!.counts.map((c) => [c.appId, c.environment, c.api, c.status, c.count]);
    expect(rows.sort()).toEqual(
      [
        ['app_1', 'test', 'crm', 200, 2],
        ['app_2', 'live', 'crm', 200, 1],
        ['app_1', 'test', 'orders', 200, 1],
        ['app_1', 'test', 'crm', 404, 1],
      ].sort(),
    );
  });

  test('a failed write is retried with the same batch id and the same counts; later events go in a new batch', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    m.record(event());
    m.record(event());
    store.state.failing = true;
    await m.flush();
    expect(m.stats()).toMatchObject({ bufferedEvents: 2, failedWrites: 1, consecutiveFailures: 1 });

    m.record(event({ status: 500 }));
    await m.flush();
    store.state.failing = false;
    await m.flush();

    const [first, second, retry, fresh] = store.calls;
    expect(store.calls).toHaveLength(4);
    expect(second!.batchId).toBe(first!.batchId);
    expect(retry).toEqual(first);
    expect(fresh!.batchId).not.toBe(first!.batchId);
    expect(fresh!.counts).toEqual([expect.objectContaining({ status: 500, count: 1 })]);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesWritten: 2, consecutiveFailures: 0 });
    await m.close();
  });

  test('a batch the store had already applied is not sent again and not counted as written', async () => {
    let calls = 0;
    const m = meter(async () => {
      calls += 1;
      return false;
    });
    m.record(event());
    await m.flush();
    await m.flush();
    expect(calls).toBe(1);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesWritten: 0, batchesAlreadyApplied: 1 });
    await m.close();
  });

  test('past maxBufferedEvents new events are dropped, counted, and reported once per flush', async () => {
    const store = fakeStore();
    const reported: number[] = [];
    const m = meter(store.record, { maxBufferedEvents: 5, onDropped: (n) => reported.push(n) });
    store.state.failing = true;
    for (let i = 0; i < 4; i++) m.record(event());
    await m.flush();
    // The batch awaiting its retry still holds its 4 events: only one more fits.
    for (let i = 0; i < 3; i++) m.record(event({ status: 201 }));
    expect(m.stats()).toMatchObject({ bufferedEvents: 5, droppedEvents: 2 });
    await m.flush();
    await m.flush();
    expect(reported).toEqual([2]);

    store.state.failing = false;
    await m.flush();
    const written = store.calls.filter((c) => c.batchId !== store.calls[0]!.batchId);
    expect(written.flatMap((c) => c.counts.map((x) => [x.status, x.count]))).toEqual([[201, 1]]);
    m.record(event());
    expect(m.stats()).toMatchObject({ bufferedEvents: 1, droppedEvents: 2 });
    await m.close();
  });

  test('close writes what was buffered, stops the timer, and drops events recorded afterwards', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    m.record(event());
    await m.close();
    expect(store.calls).toHaveLength(1);
    m.record(event());
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, droppedEvents: 1 });
  });

  test('the UTC day boundary splits the counts of one app and operation', async () => {
    const store = fakeStore();
    const clock = manualClock('2026-11-24T23:59:59.900Z');
    const m = meter(store.record, { clock });
    m.record(event());
    m.record(event());
    clock.advance(100);
    m.record(event());
    await m.close();
    const byDay = store.calls[0]!.counts.map((c) => [c.day, c.count]);
    expect(byDay.sort()).toEqual([
      ['2026-11-24', 2],
      ['2026-11-25', 1],
    ]);
  });
});

describe('createUsageMeter timer', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-24T10:00:00.000Z') }));
  afterEach(() => jest.useRealTimers());

  // Under fake timers Date moves with the timers, so this clock and setInterval agree.
  const fakeTimeClock: Clock = { now: () => new Date() };

  test('the timer writes every interval, and backs off exponentially (capped) while the store fails', async () => {
    const store = fakeStore();
    const m = meter(store.record, { clock: fakeTimeClock, flushIntervalMs: 1000, maxRetryDelayMs: 8000 });
    m.record(event());
    await jest.advanceTimersByTimeAsync(999);
    expect(store.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.calls).toHaveLength(1);

    store.state.failing = true;
    m.record(event());
    const attemptsAt: number[] = [];
    for (let second = 2; second <= 40; second++) {
      const before = store.calls.length;
      await jest.advanceTimersByTimeAsync(1000);
      if (store.calls.length > before) attemptsAt.push(second);
    }
    // Waits of 1, 2, 4, then 8 s (the cap) between attempts.
    expect(attemptsAt).toEqual([2, 3, 5, 9, 17, 25, 33]);
    expect(new Set(store.calls.slice(1).map((c) => c.batchId)).size).toBe(1);

    store.state.failing = false;
    await jest.advanceTimersByTimeAsync(8000);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, batchesWritten: 2 });
    await m.close();
    const calls = store.calls.length;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(store.calls).toHaveLength(calls);
  });
});
