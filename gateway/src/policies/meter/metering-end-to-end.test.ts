// Metering through a real gateway and backends, on each engine: requests made with two keys of one app come out of
// the usage report per key with percentiles, and the request log finds each by the X-Request-Id the gateway
// returned, by status and by operation — the store functions the portal's usage and listRequests handlers call.
import { loadConfig } from '../../../../internal/src/config';
import { pageRequest } from '../../../../internal/src/pagination';
import { listRequests } from '../../../../keys/src/store/request-log';
import { usageReport } from '../../../../keys/src/store/usage-reports';
import { startTestPlatform, type TestPlatform } from '../../testing/test-platform';

const engines = (['sqlite', 'postgres'] as const).filter((e) => e === 'sqlite' || loadConfig().databaseUrl);

describe.each(engines)('metering end to end [%s]', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ dialect });
  });
  afterAll(() => platform.stop());

  test('two keys of one app: counted per key with p50/p95, and each request found in the log', async () => {
    const first = await platform.partner();
    const second = await platform.addKey(first);
    const call = async (apiKey: string, path: string) => {
      const res = await fetch(`${platform.gatewayUrl}${path}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      await res.arrayBuffer();
      return { status: res.status, requestId: res.headers.get('x-request-id')! };
    };
    const listed = [];
    for (let i = 0; i < 3; i++) listed.push(await call(first.apiKey, '/crm/v1/customers?limit=5'));
    const missing = await call(second.apiKey, '/crm/v1/customers/cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB');
    expect(listed.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(missing.status).toBe(404);
    await platform.gateway.deps.meter.flush();

    const scope = { partnerId: first.partnerId };
    const report = await usageReport(platform.store, scope, {
      appId: first.appId,
      groupBy: ['key', 'operation'],
    });
    const byKey = Object.fromEntries(report.rows.map((r) => [r.credentialId, r]));
    expect(Object.keys(byKey).sort()).toEqual([first.keyId, second.keyId].sort());
    expect(byKey[first.keyId]).toMatchObject({ operationId: 'listCustomers', requests: 3 });
    expect(byKey[second.keyId]).toMatchObject({ operationId: 'getCustomer', requests: 1 });
    for (const row of report.rows) {
      expect(row.p50LatencyMs).toBeGreaterThanOrEqual(0);
      expect(row.p95LatencyMs).toBeGreaterThanOrEqual(row.p50LatencyMs);
    }
    const hourly = await usageReport(platform.store, scope, {
      appId: first.appId,
      from: report.to,
      groupBy: ['hour'],
    });
    expect(hourly.rows.map((r) => r.requests)).toEqual([4]);
    expect(hourly.rows[0]!.hour).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);

    const search = async (filter: Parameters<typeof listRequests>[2]) =>
      (await listRequests(platform.store, scope, filter, pageRequest({}, 'req'))).data;
    expect(await search({ requestId: missing.requestId })).toEqual([
      {
        id: missing.requestId,
        appId: first.appId,
        credentialId: second.keyId,
        environment: 'test',
        api: 'crm',
        operationId: 'getCustomer',
        method: 'GET',
        path: '/crm/v1/customers/cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB',
        status: 404,
        latencyMs: expect.any(Number),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      },
    ]);
    expect((await search({ status: 200 })).map((e) => e.id)).toEqual(
      listed.map((r) => r.requestId).reverse(),
    );
    expect((await search({ operationId: 'getCustomer' })).map((e) => e.id)).toEqual([missing.requestId]);
    expect((await search({ credentialId: first.keyId, statusClass: '4xx' })).map((e) => e.id)).toEqual([]);
    // Another partner's search by these ids finds nothing.
    const stranger = await platform.partner();
    const theirs = await listRequests(
      platform.store,
      { partnerId: stranger.partnerId },
      { requestId: missing.requestId },
      pageRequest({}, 'req'),
    );
    expect(theirs.data).toEqual([]);
  });
});
