// The request log through the management API (listRequests): every role reads its partner's log newest first,
// searchable by request id, app, key, operation, status and time, paged with the shared cursor; another partner's
// ids find nothing, on every engine.
import { createIdGenerator } from '../../../internal/src/ids';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { RequestLogInput } from '../../../keys/src/store/request-log';
import { recordUsage } from '../../../keys/src/store/usage';
import { appOf } from './testing/apps';
import { teamOf, type Team } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

describeEachStore('portal request log', (store) => {
  let portal: TestPortal;
  let team: Team;
  let batches = 0;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
  });
  afterAll(() => portal.close());

  /** Logs requests of the session's partner one millisecond apart, as the gateway's meter would; returns their ids. */
  async function logged(session: MemberSession, entries: Array<Partial<RequestLogInput>>): Promise<string[]> {
    let t = portal.clock.now().getTime() - 60_000;
    const newId = createIdGenerator(() => t);
    const rows = entries.map((e) => {
      t += 1;
      return {
        requestId: newId('req'),
        partnerId: session.partner.id,
        appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0AP1',
        credentialId: 'key_01JDQ7X3S4T1V9KX2M5Q8W0KY1',
        environment: 'test' as const,
        api: 'crm',
        operationId: 'listCustomers',
        method: 'GET',
        path: '/crm/v1/customers',
        status: 200,
        latencyMs: 12,
        startedAt: new Date(t - 12).toISOString(),
        finishedAt: new Date(t).toISOString(),
        ...e,
      };
    });
    batches += 1;
    await recordUsage(portal.deps, `bat_requests_${process.pid}_${batches}`, [], rows);
    return rows.map((r) => r.requestId);
  }

  const ids = (response: { body: { data: Array<{ id: string }> } }) => response.body.data.map((e) => e.id);

  test('every role searches the log by request id, app, key, operation, status and class, newest first', async () => {
    const app = await appOf(portal, team.owner);
    const keyA = 'key_01JDQ7X3S4T1V9KX2M5Q8W0KA1';
    const keyB = 'key_01JDQ7X3S4T1V9KX2M5Q8W0KB1';
    const [ok, missing, created, failed] = await logged(team.owner, [
      { appId: app.id, credentialId: keyA },
      {
        appId: app.id,
        credentialId: keyA,
        operationId: 'getCustomer',
        status: 404,
        path: '/crm/v1/customers/x',
      },
      { appId: app.id, credentialId: keyB, operationId: 'createCustomer', method: 'POST', status: 201 },
      { appId: app.id, credentialId: keyB, status: 503, environment: 'test' },
    ]);
    for (const session of [team.owner, team.admin, team.developer, team.viewer]) {
      const all = await session.client.call('listRequests', { query: { appId: app.id } });
      expect(all.status).toBe(200);
      expect(ids(all)).toEqual([failed, created, missing, ok]);
    }
    const search = async (query: Record<string, string | number>) =>
      ids(await team.viewer.client.call('listRequests', { query: { appId: app.id, ...query } }));
    expect(await search({ requestId: missing! })).toEqual([missing]);
    expect(await search({ credentialId: keyB })).toEqual([failed, created]);
    expect(await search({ operationId: 'getCustomer' })).toEqual([missing]);
    expect(await search({ status: 201 })).toEqual([created]);
    expect(await search({ statusClass: '5xx' })).toEqual([failed]);
    expect(await search({ statusClass: '2xx', credentialId: keyA })).toEqual([ok]);
    expect(await search({ environment: 'live' })).toEqual([]);

    const one = await team.viewer.client.call('listRequests', { query: { requestId: created! } });
    expect(one.body).toEqual({
      data: [
        {
          id: created,
          appId: app.id,
          credentialId: keyB,
          environment: 'test',
          api: 'crm',
          operationId: 'createCustomer',
          method: 'POST',
          path: '/crm/v1/customers',
          status: 201,
          latencyMs: 12,
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
        },
      ],
      hasMore: false,
      nextCursor: null,
    });
  });

  test('pages newest first with the shared cursor; a foreign cursor or a bad filter is a 400', async () => {
    const owner = await portal.signUp();
    const all = await logged(
      owner,
      Array.from({ length: 5 }, () => ({})),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await owner.client.call('listRequests', {
        query: { limit: 2, ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      if (!page.body.hasMore) break;
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual([...all].reverse());

    const auditCursor = Buffer.from('v1:aud_01JDQ7X3S4T1V9KX2M5Q8W0AD1').toString('base64url');
    for (const query of [
      { cursor: auditCursor },
      { status: 99 },
      { statusClass: '6xx' },
      { requestId: 'nope' },
    ]) {
      const response = await owner.client.call('listRequests', { query });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
  });

  test("another partner's app, key and request ids find nothing", async () => {
    const owner = await portal.signUp();
    const app = await appOf(portal, owner);
    const [id] = await logged(owner, [{ appId: app.id, credentialId: 'key_01JDQ7X3S4T1V9KX2M5Q8W0KC1' }]);
    const stranger = await portal.signUp();
    for (const query of [
      {},
      { requestId: id! },
      { appId: app.id },
      { credentialId: 'key_01JDQ7X3S4T1V9KX2M5Q8W0KC1' },
    ]) {
      const response = await stranger.client.call('listRequests', { query });
      expect({ query, status: response.status, data: response.body.data }).toEqual({
        query,
        status: 200,
        data: [],
      });
    }
    expect(ids(await owner.client.call('listRequests', { query: { requestId: id! } }))).toEqual([id]);
  });
});
