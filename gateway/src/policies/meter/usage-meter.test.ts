// The meter folds events into hourly counts per credential with a latency histogram, and a request-log entry each;
// writes them in batches off the response path, retries a failed batch under the same id with a capped back-off,
// bounds its memory, splits counts at the UTC hour boundary and flushes on close. The store is a recording function here; usage-meter-store.test.ts runs against the real one.
import { manualClock, type Clock } from '../../../../internal/src/clock';
import { createIdGenerator } from '../../../../internal/src/ids';
import { createLogger } from '../../../../internal/src/logger';
import type { RequestLogInput } from '../../../../keys/src/store/request-log';
import type { UsageCount } from '../../../../keys/src/store/usage';
import { createUsageMeter, type RecordUsage, type UsageEvent, type UsageMeterOptions } from './usage-meter';

const logger = createLogger({ level: 'silent' });

interface Call {
  batchId: string;
  counts: UsageCount[];
  requests: RequestLogInput[];
}

/** A store stand-in that records every call and fails while `failing` is set. */
function fakeStore() {
  const calls: Call[] = [];
  const applied = new Set<string>();
  const state = { failing: false };
  const record: RecordUsage = async (batchId, counts, requests) => {
    calls.push({ batchId, counts: counts.map((c) => ({ ...c })), requests: requests.map((r) => ({ ...r })) });
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
    method: 'GET',
    path: '/crm/v1/customers',
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
    expect(m.stats()).toMatchObject({ bufferedEvents: 1011, bufferedRows: 3, bufferedLogEntries: 1011 });

    await m.flush();
    expect(store.calls).toHaveLength(1);
    const base = {
      partnerId: 'prt_1',
      appId: 'app_1',
      environment: 'test',
      hour: '2026-11-24T10:00:00.000Z',
      credentialId: 'key_1',
      api: 'crm',
    };
    // Buckets ≤5, ≤10, ≤25, ≤50, … ≤10000, over: 31 ms falls in (25, 50], 2 and 0 ms in the first.
    const histogram = (bucket: number, n: number) =>
      Array.from({ length: 12 }, (_, i) => (i === bucket ? n : 0));
    expect(sortCounts(store.calls[0]!.counts)).toEqual([
      {
        ...base,
        operationId: 'createCustomer',
        status: 201,
        count: 1,
        latencyMsTotal: 31,
        latencyBuckets: histogram(3, 1),
      },
      {
        ...base,
        operationId: 'listCustomers',
        status: 200,
        count: 1000,
        latencyMsTotal: 2000,
        latencyBuckets: histogram(0, 1000),
      },
      {
        ...base,
        operationId: 'listCustomers',
        status: 429,
        count: 10,
        latencyMsTotal: 0,
        latencyBuckets: histogram(0, 10),
      },
    ]);
    // One log entry per request, whatever the folding.
    expect(store.calls[0]!.requests).toHaveLength(1011);
    expect(store.calls[0]!.requests[1010]).toEqual({
      requestId: 'req_1',
      partnerId: 'prt_1',
      appId: 'app_1',
      credentialId: 'key_1',
      environment: 'test',
      api: 'crm',
      operationId: 'createCustomer',
      method: 'GET',
      path: '/crm/v1/customers',
      status: 201,
      latencyMs: 31,
      startedAt: '2026-11-24T09:59:59.969Z',
      finishedAt: '2026-11-24T10:00:00.000Z',
    });
    expect(store.calls[0]!.batchId).toMatch(/^bat_/);
    expect(m.stats()).toMatchObject({ bufferedEvents: 0, bufferedRows: 0, batchesWritten: 1 });

    await m.flush();
    expect(store.calls).toHaveLength(1);
    await m.close();
  });

  test('counts are kept apart per app, credential, api, operation and status', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    m.record(event());
    m.record(event({ appId: 'app_2', partnerId: 'prt_2', environment: 'live' }));
    m.record(event({ api: 'orders' }));
    m.record(event({ status: 404 }));
    m.record(event({ credentialId: 'key_2', latencyMs: 700 }));
    m.record(event());
    await m.close();
    const rows = store.calls[0]!.counts.map((c) => [
      c.appId,
      c.credentialId,
      c.environment,
      c.api,
      c.status,
      c.count,
    ]);
    expect(rows.sort()).toEqual(
      [
        ['app_1', 'key_1', 'test', 'crm', 200, 2],
        ['app_2', 'key_1', 'live', 'crm', 200, 1],
        ['app_1', 'key_1', 'test', 'orders', 200, 1],
        ['app_1', 'key_1', 'test', 'crm', 404, 1],
        ['app_1', 'key_2', 'test', 'crm', 200, 1],
      ].sort(),
    );
    // 700 ms falls in (500, 1000].
    const key2 = store.calls[0]!.counts.find((c) => c.credentialId === 'key_2')!;
    expect(key2.latencyBuckets).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  test('the log keeps the path without its query, cut at 1024 characters', async () => {
    const store = fakeStore();
    const m = meter(store.record);
    m.record(event({ method: 'POST', path: `/crm/v1/${'x'.repeat(2000)}` }));
    await m.close();
    expect(store.calls[0]!.requests[0]).toMatchObject({
      method: 'POST',
      path: `/crm/v1/${'x'.repeat(1016)}`,
    });
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
    expect(first!.requests).toHaveLength(2);
    expect(fresh!.batchId).not.toBe(first!.batchId);
    expect(fresh!.counts).toEqual([expect.objectContaining({ status: 500, count: 1 })]);
    expect(fresh!.requests).toEqual([expect.objectContaining({ status: 500 })]);
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
    expect(m.stats()).toMatchObject({ bufferedEvents: 5, bufferedLogEntries: 5, droppedEvents: 2 });
    await m.flush();
    await m.flush();
    expect(reported).toEqual([2]);

    store.state.failing = false;
    await m.flush();
    const written = store.calls.filter((c) => c.batchId !== store.calls[0]!.batchId);
    expect(written.flatMap((c) => c.counts.map((x) => [x.status, x.count]))).toEqual([[201, 1]]);
    // The log buffer is bounded with the counts: the dropped events left no entry either.
    expect(written.flatMap((c) => c.requests.map((x) => x.status))).toEqual([201]);
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

  test('the UTC hour boundary splits the counts of one app and operation', async () => {
    const store = fakeStore();
    const clock = manualClock('2026-11-24T23:59:59.900Z');
    const m = meter(store.record, { clock });
    m.record(event());
    m.record(event());
    clock.advance(100);
    m.record(event());
    clock.advance(3_600_000);
    m.record(event());
    await m.close();
    const byHour = store.calls[0]!.counts.map((c) => [c.hour, c.count]);
    expect(byHour.sort()).toEqual([
      ['2026-11-24T23:00:00.000Z', 2],
      ['2026-11-25T00:00:00.000Z', 1],
      ['2026-11-25T01:00:00.000Z', 1],
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
