// The operator's list of apps spans every partner, newest first, page by page, with the status, environment and
// partner filters of operatorListApps (status = pending_approval is the review queue); deleted apps never show,
// and the selective filters read an index rather than the table.
import { CompiledQuery, sql } from 'kysely';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { deleteApp, reviewApp, type App } from './apps';
import { listAllApps, operatorAppsQuery, type OperatorAppFilter } from './operator-apps';
import type { AppsTable, PartnersTable } from './schema';
import { FREE_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

describeEachStore('operator: apps of every partner', (store) => {
  let deps: TestDeps;
  // Newest first: bLivePending, bTest, aLiveRejected, aLiveApproved, aLivePending, aTest (aDeleted is hidden).
  let aTest: App, aLivePending: App, aLiveApproved: App, aLiveRejected: App;
  let bTest: App, bLivePending: App;
  let partnerA: string, partnerB: string;

  const ids = (page: { data: App[] }) => page.data.map((a) => a.id);
  const list = (filter: OperatorAppFilter, query: Record<string, unknown> = {}) =>
    listAllApps(deps, filter, pageRequest(query, 'app'));

  beforeAll(async () => {
    deps = await openKeysStore(store, 'operator_apps');
    const a = await signUp(deps);
    const b = await signUp(deps);
    partnerA = a.partner.id;
    partnerB = b.partner.id;
    const next = async (tenant: typeof a, environment: 'test' | 'live') => {
      deps.clock.advance(1000);
      return testApp(deps, tenant, environment);
    };
    aTest = await next(a, 'test');
    aLivePending = await next(a, 'live');
    aLiveApproved = await next(a, 'live');
    aLiveRejected = await next(a, 'live');
    const aDeleted = await next(a, 'test');
    bTest = await next(b, 'test');
    bLivePending = await next(b, 'live');
    aLiveApproved = await reviewApp(deps, aLiveApproved.id, { action: 'approve' }, OPERATOR);
    aLiveRejected = await reviewApp(
      deps,
      aLiveRejected.id,
      { action: 'reject', reason: 'No data-processing agreement' },
      OPERATOR,
    );
    await deleteApp(deps, { partnerId: partnerA }, aDeleted.id, a.as);
  });

  test("lists every partner's apps newest first, page by page, without deleted ones", async () => {
    const first = await list({}, { limit: 4 });
    expect(ids(first)).toEqual([bLivePending.id, bTest.id, aLiveRejected.id, aLiveApproved.id]);
    expect(first.hasMore).toBe(true);
    const second = await list({}, { limit: 4, cursor: first.nextCursor });
    expect(second).toEqual({ data: [aLivePending, aTest], hasMore: false, nextCursor: null });
    expect(first.data[2]).toMatchObject({
      status: 'rejected',
      statusReason: 'No data-processing agreement',
      reviewedAt: deps.clock.now().toISOString(),
    });
  });

  test('status = pending_approval is the review queue of all partners', async () => {
    expect(ids(await list({ status: 'pending_approval' }))).toEqual([bLivePending.id, aLivePending.id]);
    expect(ids(await list({ status: 'rejected' }))).toEqual([aLiveRejected.id]);
    expect(ids(await list({ status: 'active' }))).toEqual([bTest.id, aLiveApproved.id, aTest.id]);
  });

  test('filters by environment and by partner, alone and with the status', async () => {
    expect(ids(await list({ environment: 'test' }))).toEqual([bTest.id, aTest.id]);
    expect(ids(await list({ partnerId: partnerB }))).toEqual([bLivePending.id, bTest.id]);
    expect(ids(await list({ partnerId: partnerA, environment: 'live', status: 'active' }))).toEqual([
      aLiveApproved.id,
    ]);
    expect(ids(await list({ partnerId: partnerA, environment: 'test' }))).toEqual([aTest.id]);
    expect(ids(await list({ partnerId: 'prt_01KDVDNA00WQWB43C23YJKKVC9' }))).toEqual([]);
  });
});

describeEachStore('operator: app filters read an index', (store) => {
  let deps: TestDeps;
  let somePartner: string;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'operator_apps_plan');
    const now = deps.clock.now().toISOString();
    const partners: PartnersTable[] = Array.from({ length: 500 }, (_, i) => ({
      id: deps.newId('prt'),
      name: `Partner ${i}`,
      website: null,
      contact_email: `p${i}@example.com`,
      country: null,
      status: 'active',
      status_reason: null,
      plan_id: FREE_PLAN_ID,
      created_at: now,
      updated_at: now,
    }));
    // Ten apps per partner, one in a hundred awaiting review: the queue is short, as it is in an installation.
    const apps: AppsTable[] = Array.from({ length: 5000 }, (_, i) => ({
      id: deps.newId('app'),
      partner_id: partners[i % partners.length]!.id,
      name: `App ${i}`,
      description: null,
      environment: i % 2 === 0 ? 'test' : 'live',
      status: i % 100 === 1 ? 'pending_approval' : 'active',
      status_reason: null,
      reviewed_at: null,
      scopes: '["crm:read"]',
      metadata: '{}',
      created_by: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    }));
    for (let i = 0; i < partners.length; i += 500) {
      await deps.db
        .insertInto('partners')
        .values(partners.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < apps.length; i += 500) {
      await deps.db
        .insertInto('apps')
        .values(apps.slice(i, i + 500))
        .execute();
    }
    somePartner = partners[7]!.id;
    await sql`analyze`.execute(deps.db);
  });

  async function planOf(filter: OperatorAppFilter): Promise<string> {
    // The statement listAllApps runs for a first page of 20 (fetchPage adds the order and one look-ahead row).
    const compiled = operatorAppsQuery(deps, filter).orderBy('id', 'desc').limit(21).compile();
    const explain = store.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await deps.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]),
    );
    return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
  }

  test('the review queue reads its (status, id) index in cursor order; the partner filter an index on partner_id', async () => {
    const queue = await planOf({ status: 'pending_approval' });
    const partner = await planOf({ partnerId: somePartner });
    console.log(`Operator app filters on ${store.dialect}:\n${queue}\n${partner}`);
    // The queue's index gives the cursor order too: no table scan, no sort.
    expect(queue).toMatch(/apps_status_id/);
    expect(queue).not.toMatch(/SCAN apps|TEMP B-TREE|Seq Scan|Sort/);
    // A partner has at most 50 apps: a planner may read them through either index that starts with partner_id
    // and sort them, which is as cheap; what matters is that it never reads the table.
    expect(partner).toMatch(/apps_tenant_(id|name)/);
    expect(partner).not.toMatch(/SCAN apps\b(?! USING)|Seq Scan/);
    expect(
      (await listAllApps(deps, { status: 'pending_approval' }, pageRequest({}, 'app'))).data,
    ).toHaveLength(20);
  });
});
