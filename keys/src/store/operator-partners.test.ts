// The operator's list of partners spans every tenant, newest first, page by page, with the status, plan and
// text filters of operatorListPartners, and its status and plan filters read an index rather than the table.
import { CompiledQuery, sql } from 'kysely';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listAllPartners, operatorPartnersQuery } from './operator-partners';
import { changePartnerPlan, changePartnerStatus, createPartnerWithOwner, type Partner } from './partners';
import type { PartnersTable } from './schema';
import { FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, type TestDeps } from './test-fixtures';

describeEachStore('operator: partners of every tenant', (store) => {
  let deps: TestDeps;
  // Newest first: [sunrise, bay, harbour, jade].
  let jade: Partner, harbour: Partner, bay: Partner, sunrise: Partner;

  const create = async (partnerName: string, email: string) => {
    deps.clock.advance(1000);
    const { partner } = await createPartnerWithOwner(
      deps,
      { partnerName, planId: FREE_PLAN_ID, owner: { name: 'Li Wei', email, passwordHash: 'scrypt$test' } },
      { requestId: 'req_signup', ip: null, userAgent: null },
    );
    return partner;
  };
  const ids = (page: { data: Partner[] }) => page.data.map((p) => p.id);
  const list = (filter: Parameters<typeof listAllPartners>[1], query: Record<string, unknown> = {}) =>
    listAllPartners(deps, filter, pageRequest(query, 'prt'));

  beforeAll(async () => {
    deps = await openKeysStore(store, 'operator_partners');
    jade = await create('Jade Pharmacy Software', 'li.wei@jadepharm.example');
    harbour = await create('Harbour Clinics', 'ops@HARBOUR-health.example');
    bay = await create('Bay 100% Dental', 'it@bay.example');
    sunrise = await create('Sunrise Care_Homes', 'dev@sunrise.example');
    await changePartnerPlan(deps, harbour.id, PRO_PLAN_ID, OPERATOR);
    await changePartnerPlan(deps, sunrise.id, PRO_PLAN_ID, OPERATOR);
    await changePartnerStatus(deps, bay.id, { action: 'suspend', reason: 'Unpaid invoice' }, OPERATOR);
    await changePartnerStatus(deps, sunrise.id, { action: 'suspend', reason: 'Abuse report' }, OPERATOR);
  });

  test('lists the partners of every tenant newest first, page by page, as they are stored', async () => {
    const first = await list({}, { limit: 3 });
    expect(ids(first)).toEqual([sunrise.id, bay.id, harbour.id]);
    expect(first.hasMore).toBe(true);
    const second = await list({}, { limit: 3, cursor: first.nextCursor });
    expect(second).toEqual({
      data: [jade],
      hasMore: false,
      nextCursor: null,
    });
    expect(first.data[0]).toMatchObject({
      status: 'suspended',
      statusReason: 'Abuse report',
      planId: PRO_PLAN_ID,
    });
  });

  test('filters by status and by plan, alone and together', async () => {
    expect(ids(await list({ status: 'suspended' }))).toEqual([sunrise.id, bay.id]);
    expect(ids(await list({ status: 'active' }))).toEqual([harbour.id, jade.id]);
    expect(ids(await list({ planId: PRO_PLAN_ID }))).toEqual([sunrise.id, harbour.id]);
    expect(ids(await list({ planId: FREE_PLAN_ID, status: 'suspended' }))).toEqual([bay.id]);
    expect(ids(await list({ planId: 'pln_01KDVDNA00WQWB43C23YJKKVC9' }))).toEqual([]);
  });

  test('searches the name and the contact email, case-insensitively', async () => {
    expect(ids(await list({ q: 'HARBOUR' }))).toEqual([harbour.id]);
    expect(ids(await list({ q: 'harbour-health' }))).toEqual([harbour.id]);
    expect(ids(await list({ q: 'JADEPHARM.example' }))).toEqual([jade.id]);
    expect(ids(await list({ q: 'clinic' }))).toEqual([harbour.id]);
    expect(ids(await list({ q: 'pharmacy', status: 'suspended' }))).toEqual([]);
  });

  test("LIKE's wildcards in the search are literal characters", async () => {
    expect(ids(await list({ q: '100%' }))).toEqual([bay.id]);
    expect(ids(await list({ q: '%' }))).toEqual([bay.id]);
    expect(ids(await list({ q: 'care_homes' }))).toEqual([sunrise.id]);
    expect(ids(await list({ q: '_' }))).toEqual([sunrise.id]);
  });
});

describeEachStore('operator: partner filters read an index', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'operator_partners_plan');
    const now = deps.clock.now().toISOString();
    // Many partners, few suspended and few on Pro: the filters are selective, as they are in an installation.
    const rows: PartnersTable[] = Array.from({ length: 5000 }, (_, i) => ({
      id: deps.newId('prt'),
      name: `Partner ${i}`,
      website: null,
      contact_email: `p${i}@example.com`,
      country: null,
      status: i % 100 === 0 ? 'suspended' : 'active',
      status_reason: null,
      plan_id: i % 100 === 1 ? PRO_PLAN_ID : FREE_PLAN_ID,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await deps.db
        .insertInto('partners')
        .values(rows.slice(i, i + 500))
        .execute();
    }
    await sql`analyze`.execute(deps.db);
  });

  async function planOf(filter: Parameters<typeof listAllPartners>[1]): Promise<string> {
    // The statement listAllPartners runs for a first page of 20 (fetchPage adds the order and one look-ahead row).
    const compiled = operatorPartnersQuery(deps, filter).orderBy('id', 'desc').limit(21).compile();
    const explain = store.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await deps.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]),
    );
    return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n');
  }

  test('the status and plan filters use their (column, id) indexes', async () => {
    const byStatus = await planOf({ status: 'suspended' });
    const byPlan = await planOf({ planId: PRO_PLAN_ID });
    console.log(`Operator partner filters on ${store.dialect}:\n${byStatus}\n${byPlan}`);
    // The index gives the cursor order too: no table scan, no sort.
    expect(byStatus).toMatch(/partners_status_id/);
    expect(byPlan).toMatch(/partners_plan_id/);
    expect(`${byStatus}\n${byPlan}`).not.toMatch(/SCAN partners|TEMP B-TREE|Seq Scan|Sort/);
    expect((await listAllPartners(deps, { status: 'suspended' }, pageRequest({}, 'prt'))).data).toHaveLength(
      20,
    );
  });
});
