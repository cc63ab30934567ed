// The request log: searched newest first with each filter and the shared cursor pagination, never across partners,
// and pruned by the write path in bounded chunks once entries are past the retention period.
import { createIdGenerator } from '../../../internal/src/ids';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listRequests, pruneRequestLog, type RequestLogInput } from './request-log';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';
import { recordUsage } from './usage';

describeEachStore('request log', (store) => {
  let deps: TestDeps;
  let batches = 0;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'request_log');
  });

  /** Logs requests one millisecond apart from `startMs` (ids in the same order), as the meter would. */
  async function log(
    base: Omit<RequestLogInput, 'requestId' | 'startedAt' | 'finishedAt' | 'latencyMs' | 'method' | 'path'>,
    overrides: Array<Partial<RequestLogInput>>,
    startMs = Date.parse('2026-11-24T09:00:00.000Z'),
  ): Promise<string[]> {
    let t = startMs;
    const newId = createIdGenerator(() => t);
    const entries = overrides.map((o) => {
      t += 1;
      return {
        ...base,
        requestId: newId('req'),
        method: 'GET',
        path: '/crm/v1/customers',
        latencyMs: 10,
        startedAt: new Date(t - 10).toISOString(),
        finishedAt: new Date(t).toISOString(),
        ...o,
      };
    });
    batches += 1;
    await recordUsage(deps, `bat_log_${batches}`, [], entries, { requestLogRetentionMs: 365 * 86_400_000 });
    return entries.map((e) => e.requestId);
  }

  test('filters by request id, app, credential, operation, status, class, environment and time; newest first', async () => {
    const t = await signUp(deps);
    const a = await testApp(deps, t);
    const live = await testApp(deps, t, 'live');
    const scope = { partnerId: t.partner.id };
    const base = {
      partnerId: t.partner.id,
      appId: a.id,
      credentialId: 'key_1',
      environment: 'test' as const,
      api: 'crm',
      operationId: 'listCustomers',
      status: 200,
    };
    const ids = await log(base, [
      {},
      { status: 404, operationId: 'getCustomer' },
      { credentialId: 'key_2', status: 201, operationId: 'createCustomer', method: 'POST' },
      { appId: live.id, environment: 'live', status: 503 },
    ]);
    const search = async (filter: Parameters<typeof listRequests>[2]) =>
      (await listRequests(deps, scope, filter, pageRequest({}, 'req'))).data.map((e) => e.id);

    expect(await search({})).toEqual([...ids].reverse());
    expect(await search({ requestId: ids[1] })).toEqual([ids[1]]);
    expect(await search({ appId: live.id })).toEqual([ids[3]]);
    expect(await search({ credentialId: 'key_2' })).toEqual([ids[2]]);
    expect(await search({ operationId: 'getCustomer' })).toEqual([ids[1]]);
    expect(await search({ status: 201 })).toEqual([ids[2]]);
    expect(await search({ statusClass: '2xx' })).toEqual([ids[2], ids[0]]);
    expect(await search({ statusClass: '5xx' })).toEqual([ids[3]]);
    expect(await search({ environment: 'test', statusClass: '4xx' })).toEqual([ids[1]]);
    expect(await search({ from: '2026-11-24T08:59:59.992Z', to: '2026-11-24T08:59:59.994Z' })).toEqual([
      ids[2],
      ids[1],
    ]);

    const [entry] = (await listRequests(deps, scope, { requestId: ids[2] }, pageRequest({}, 'req'))).data;
    expect(entry).toEqual({
      id: ids[2],
      appId: a.id,
      credentialId: 'key_2',
      environment: 'test',
      api: 'crm',
      operationId: 'createCustomer',
      method: 'POST',
      path: '/crm/v1/customers',
      status: 201,
      latencyMs: 10,
      startedAt: '2026-11-24T08:59:59.993Z',
      finishedAt: '2026-11-24T09:00:00.003Z',
    });

    // Another partner finds nothing, whatever ids it names.
    const stranger = { partnerId: (await signUp(deps)).partner.id };
    for (const filter of [{}, { requestId: ids[0] }, { appId: a.id }, { credentialId: 'key_1' }]) {
      expect((await listRequests(deps, stranger, filter, pageRequest({}, 'req'))).data).toEqual([]);
    }
  });

  test('pages with the shared cursor, newest first, without gaps or repeats', async () => {
    const t = await signUp(deps);
    const a = await testApp(deps, t);
    const ids = await log(
      {
        partnerId: t.partner.id,
        appId: a.id,
        credentialId: 'key_p',
        environment: 'test',
        api: 'crm',
        operationId: 'listCustomers',
        status: 200,
      },
      Array.from({ length: 5 }, () => ({})),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listRequests(
        deps,
        { partnerId: t.partner.id },
        {},
        pageRequest({ limit: 2, ...(cursor ? { cursor } : {}) }, 'req'),
      );
      seen.push(...page.data.map((e) => e.id));
      if (!page.hasMore) break;
      cursor = page.nextCursor!;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  test('entries past the retention are pruned by later batches, oldest first and at most a chunk at a time', async () => {
    const t = await signUp(deps);
    const a = await testApp(deps, t);
    const base = {
      partnerId: t.partner.id,
      appId: a.id,
      credentialId: 'key_r',
      environment: 'test' as const,
      api: 'crm',
      operationId: 'listCustomers',
      status: 200,
    };
    // Pruning looks at the whole table: start from a clean one so that other tests' rows do not interfere.
    await deps.db.deleteFrom('request_log').execute();
    const old = await log(
      base,
      Array.from({ length: 5 }, () => ({})),
      Date.parse('2026-11-01T00:00:00.000Z'),
    );
    const recent = await log(base, [{}], Date.parse('2026-11-24T09:00:00.000Z'));
    const remaining = async () =>
      (await deps.db.selectFrom('request_log').select('id').execute()).map((r) => r.id).sort();

    deps.clock.set('2026-11-24T09:30:00.000Z');
    // A write with the default retention (7 days) and a chunk of 2: the 2 oldest go (plus 1 for the entry written).
    const [fresh] = await (async () => {
      batches += 1;
      const entry = {
        ...base,
        requestId: 'req_01KZZZZZZZZZZZZZZZZZZZZZZZ',
        method: 'GET',
        path: '/crm/v1/customers',
        latencyMs: 1,
        startedAt: '2026-11-24T09:29:59.999Z',
        finishedAt: '2026-11-24T09:30:00.000Z',
      };
      await recordUsage(deps, `bat_prune_${batches}`, [], [entry], { prunePerBatch: 2 });
      return [entry.requestId];
    })();
    expect(await remaining()).toEqual([...old.slice(3), ...recent, fresh].sort());

    expect(await pruneRequestLog(deps, { before: '2026-11-17T09:30:00.000Z', limit: 100 })).toBe(2);
    expect(await remaining()).toEqual([...recent, fresh].sort());
  });
});
