// The demo seeder: a realistic small data set that the API serves as any other, created once per tenant.
import { manualClock } from '../../../internal/src/clock';
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startCrm } from './crm-harness';
import { seedCrmDemo } from './seed';
import type { CrmTables } from './store/schema';

describeEachStore('CRM demo seeder', (store) => {
  let crm: TestService<CrmTables>;
  const clock = manualClock('2026-11-24T09:30:00.000Z');
  beforeAll(async () => {
    crm = await startCrm(store, { clock });
  });
  afterAll(() => crm.close());
  const seedDeps = () => ({ db: crm.database.db, clock, newId: crm.deps.newId });

  async function countAll(partnerId: string) {
    const counts: Record<string, number> = {};
    for (const table of [
      'customers',
      'contacts',
      'leads',
      'opportunities',
      'opportunity_stage_changes',
      'activities',
    ] as const) {
      const row = await crm.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('partner_id', '=', partnerId)
        .executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  }

  test('seeds customers, contacts, leads, opportunities and a timeline that the API serves', async () => {
    const scope = newTestIdentity();
    const refs = await seedCrmDemo(seedDeps(), scope, { upstream: 'kept' });
    expect(refs).toMatchObject({
      upstream: 'kept',
      customerId: expect.stringMatching(/^cus_/),
      contactId: expect.stringMatching(/^con_/),
      opportunityId: expect.stringMatching(/^opp_/),
      pharmacyCustomerId: expect.stringMatching(/^cus_/),
      personCustomerId: expect.stringMatching(/^cus_/),
      leadId: expect.stringMatching(/^lead_/),
    });
    const client = crm.client.as(scope);
    const customers = (await client.call('listCustomers')).body.data;
    expect(customers.map((c: any) => c.name)).toEqual([
      'Li Wei',
      'Kangning Pharmacy Chain',
      'Sunrise Family Clinic',
    ]);
    // The won deal made the clinic a customer.
    expect(customers.find((c: any) => c.id === refs.customerId).lifecycleStage).toBe('customer');
    const primary = await client.call('listContacts', {
      params: { customerId: refs.customerId! },
      query: { isPrimary: true },
    });
    expect(primary.body.data.map((c: any) => c.id)).toEqual([refs.contactId]);
    const opportunity = (
      await client.call('getOpportunity', { params: { opportunityId: refs.opportunityId! } })
    ).body;
    expect(opportunity.stageHistory.map((s: any) => s.stage)).toEqual([
      'qualification',
      'needs_analysis',
      'proposal',
    ]);
    const lead = (await client.call('getLead', { params: { leadId: refs.leadId! } })).body;
    expect(lead.status).toBe('qualified');
    const statuses = (await client.call('listLeads')).body.data.map((l: any) => l.status).sort();
    expect(statuses).toEqual(['contacted', 'disqualified', 'new', 'qualified']);
    const timeline = await client.call('listActivities', { query: { customerId: refs.customerId! } });
    expect(timeline.body.data.length).toBeGreaterThanOrEqual(3);
    const open = await client.call('listActivities', { query: { followUpStatus: 'open' } });
    expect(open.body.data).toHaveLength(1);
    // The seeded lead is ready to be converted.
    expect((await client.call('convertLead', { params: { leadId: refs.leadId! } })).status).toBe(201);
  });

  test('seeding again does nothing and returns the same main customer', async () => {
    const scope = newTestIdentity();
    const first = await seedCrmDemo(seedDeps(), scope, {});
    const before = await countAll(scope.partnerId);
    const second = await seedCrmDemo(seedDeps(), scope, { packageId: 'pkg_x' });
    expect(await countAll(scope.partnerId)).toEqual(before);
    expect(second).toEqual({ packageId: 'pkg_x', customerId: first.customerId });
  });

  test('seeding one tenant leaves the others empty', async () => {
    const scope = newTestIdentity();
    await seedCrmDemo(seedDeps(), scope, {});
    const live = { partnerId: scope.partnerId, environment: 'live' as const };
    expect((await crm.client.as(live).call('listCustomers')).body.data).toEqual([]);
    expect((await crm.client.as(newTestIdentity()).call('listLeads')).body.data).toEqual([]);
  });
});
