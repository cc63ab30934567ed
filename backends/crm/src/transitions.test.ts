// State machines of the CRM: the lead lifecycle, the opportunity pipeline and follow-up completion. Every allowed
// move succeeds, every other one is a 409 that leaves the record as it was.
import { manualClock } from '../../../internal/src/clock';
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';
import { newActivity, newCustomer, newLead, newOpportunity, qualifiedLead } from './testing/fixtures';

describeEachStore('CRM transitions', (store) => {
  let crm: TestService<CrmTables>;
  const clock = manualClock('2026-11-24T09:30:00.000Z');
  beforeAll(async () => {
    crm = await startCrm(store, { clock });
  });
  afterAll(() => crm.close());
  const fresh = (): ContractClient => crm.client.as(newTestIdentity());

  describe('lead lifecycle', () => {
    /** Brings a new lead to `status` along the allowed path. */
    async function leadIn(client: ContractClient, status: string) {
      const lead = await newLead(client);
      const path: Record<string, string[]> = {
        new: [],
        contacted: ['contacted'],
        qualified: ['contacted', 'qualified'],
        disqualified: ['disqualified'],
        converted: ['contacted', 'qualified'],
      };
      for (const step of path[status]!) {
        expect(
          (await client.call('updateLead', { params: { leadId: lead.id }, body: { status: step } })).status,
        ).toBe(200);
      }
      if (status === 'converted') {
        expect((await client.call('convertLead', { params: { leadId: lead.id } })).status).toBe(201);
      }
      return lead.id as string;
    }

    const allowed = [
      ['new', 'contacted'],
      ['new', 'disqualified'],
      ['contacted', 'qualified'],
      ['contacted', 'disqualified'],
      ['qualified', 'disqualified'],
    ];
    const refused = [
      ['new', 'new'],
      ['new', 'qualified'],
      ['contacted', 'new'],
      ['contacted', 'contacted'],
      ['qualified', 'new'],
      ['qualified', 'contacted'],
      ['disqualified', 'new'],
      ['disqualified', 'contacted'],
      ['disqualified', 'qualified'],
      ['converted', 'disqualified'],
      ['converted', 'qualified'],
    ];

    test.each(allowed)('a lead moves from %s to %s', async (from, to) => {
      const client = fresh();
      const id = await leadIn(client, from!);
      const res = await client.call('updateLead', { params: { leadId: id }, body: { status: to } });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(to);
    });

    test.each(refused)('a lead in %s cannot move to %s (409, unchanged)', async (from, to) => {
      const client = fresh();
      const id = await leadIn(client, from!);
      const before = (await client.call('getLead', { params: { leadId: id } })).body;
      const res = await client.call('updateLead', {
        params: { leadId: id },
        body: { status: to, notes: 'x' },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: from });
      expect((await client.call('getLead', { params: { leadId: id } })).body).toEqual(before);
    });

    test('a converted lead cannot be edited at all (409)', async () => {
      const client = fresh();
      const id = await leadIn(client, 'converted');
      const res = await client.call('updateLead', { params: { leadId: id }, body: { notes: 'late note' } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('conflict');
    });

    test('a disqualified lead can still take notes', async () => {
      const client = fresh();
      const id = await leadIn(client, 'disqualified');
      const res = await client.call('updateLead', {
        params: { leadId: id },
        body: { notes: 'Outside our area.' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'disqualified', notes: 'Outside our area.' });
    });

    test.each(['new', 'contacted', 'disqualified', 'converted'])(
      'a lead in %s cannot be converted (409) and nothing is created',
      async (status) => {
        const client = fresh();
        const id = await leadIn(client, status);
        const customersBefore = (await client.call('listCustomers')).body.data.length;
        const res = await client.call('convertLead', { params: { leadId: id }, body: {} });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 'invalid_transition', currentStatus: status });
        expect((await client.call('listCustomers')).body.data.length).toBe(customersBefore);
      },
    );

    test('converting a missing lead is a 404', async () => {
      const res = await fresh().call('convertLead', {
        params: { leadId: 'lead_01JDQ5M1N2P3Q4R5S6T7V8W9XY' },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('opportunity pipeline', () => {
    const open = ['qualification', 'needs_analysis', 'proposal', 'negotiation'];
    const order = [...open, 'won'];

    async function opportunityAt(client: ContractClient, stage: string) {
      const customer = await newCustomer(client);
      const opportunity = await newOpportunity(client, customer.id);
      if (stage !== 'qualification') {
        const res = await client.call('updateOpportunity', {
          params: { opportunityId: opportunity.id },
          body: { stage },
        });
        expect(res.status).toBe(200);
      }
      return { customer, id: opportunity.id as string };
    }

    const forward = open.flatMap((from) =>
      [...order.slice(order.indexOf(from) + 1), 'lost'].map((to) => [from, to] as const),
    );
    const backward = [
      ...open.flatMap((from) => order.slice(0, order.indexOf(from) + 1).map((to) => [from, to] as const)),
      ...['won', 'lost'].flatMap((from) => [...order, 'lost'].map((to) => [from, to] as const)),
    ];

    test.each(forward)('an opportunity moves forward from %s to %s', async (from, to) => {
      const client = fresh();
      const { id } = await opportunityAt(client, from);
      const res = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { stage: to },
      });
      expect(res.status).toBe(200);
      expect(res.body.stage).toBe(to);
      expect(res.body.stageHistory.at(-1)).toMatchObject({ stage: to, fromStage: from });
    });

    test.each(backward)('an opportunity at %s cannot move to %s (409, unchanged)', async (from, to) => {
      const client = fresh();
      const { id } = await opportunityAt(client, from);
      const before = (await client.call('getOpportunity', { params: { opportunityId: id } })).body;
      const res = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { stage: to },
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'invalid_transition', currentStage: from });
      expect((await client.call('getOpportunity', { params: { opportunityId: id } })).body).toEqual(before);
    });

    test('the stage history records every step with its time, oldest first', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const opportunity = await newOpportunity(client, customer.id);
      clock.advance(60_000);
      await client.call('updateOpportunity', {
        params: { opportunityId: opportunity.id },
        body: { stage: 'needs_analysis' },
      });
      clock.advance(60_000);
      const won = await client.call('updateOpportunity', {
        params: { opportunityId: opportunity.id },
        body: { stage: 'won' },
      });
      expect(won.body.stageHistory).toEqual([
        { stage: 'qualification', enteredAt: '2026-11-24T09:30:00.000Z' },
        { stage: 'needs_analysis', fromStage: 'qualification', enteredAt: '2026-11-24T09:31:00.000Z' },
        { stage: 'won', fromStage: 'needs_analysis', enteredAt: '2026-11-24T09:32:00.000Z' },
      ]);
      expect(won.body.closedAt).toBe('2026-11-24T09:32:00.000Z');
      clock.set('2026-11-24T09:30:00.000Z');
    });

    test('winning an opportunity makes its customer a customer', async () => {
      const client = fresh();
      const { customer, id } = await opportunityAt(client, 'negotiation');
      expect(customer.lifecycleStage).toBe('prospect');
      await client.call('updateOpportunity', { params: { opportunityId: id }, body: { stage: 'won' } });
      const after = await client.call('getCustomer', { params: { customerId: customer.id } });
      expect(after.body.lifecycleStage).toBe('customer');
    });

    test('losing keeps the customer where it was and records the reason', async () => {
      const client = fresh();
      const { customer, id } = await opportunityAt(client, 'proposal');
      const lost = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { stage: 'lost', lostReason: 'Chose a cheaper provider' },
      });
      expect(lost.body).toMatchObject({ stage: 'lost', lostReason: 'Chose a cheaper provider' });
      expect(
        (await client.call('getCustomer', { params: { customerId: customer.id } })).body.lifecycleStage,
      ).toBe('prospect');
    });

    test('a lost reason without stage lost is a 422', async () => {
      const client = fresh();
      const { id } = await opportunityAt(client, 'proposal');
      const res = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { stage: 'negotiation', lostReason: 'n/a' },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/lostReason' })]);
    });

    test.each(['won', 'lost'])('a %s opportunity cannot be edited any more (409)', async (stage) => {
      const client = fresh();
      const { id } = await opportunityAt(client, stage);
      const res = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { amount: { amount: 1, currency: 'CNY' } },
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('conflict');
    });

    test('a missing opportunity is a 404, stage or not', async () => {
      const res = await fresh().call('updateOpportunity', {
        params: { opportunityId: 'opp_01JDQ9B2C3D4E5F6G7H8J9K0MN' },
        body: { stage: 'won' },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('follow-ups', () => {
    test('a follow-up is completed once; completing it again is a 409', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const followUp = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-28T02:00:00Z',
      });
      clock.advance(5_000);
      const done = await client.call('completeActivity', { params: { activityId: followUp.id } });
      expect(done.body.completedAt).toBe('2026-11-24T09:30:05.000Z');
      const again = await client.call('completeActivity', { params: { activityId: followUp.id } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'invalid_transition',
        completedAt: '2026-11-24T09:30:05.000Z',
      });
      const moved = await client.call('updateActivity', {
        params: { activityId: followUp.id },
        body: { dueAt: '2026-12-01T00:00:00Z' },
      });
      expect(moved.status).toBe(409);
      expect((await client.call('getActivity', { params: { activityId: followUp.id } })).body.dueAt).toBe(
        '2026-11-28T02:00:00.000Z',
      );
      clock.set('2026-11-24T09:30:00.000Z');
    });

    test('only a follow-up can be completed (409) and times must fit the type on update (422)', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const call = await newActivity(client, customer.id, { type: 'call' });
      const completeCall = await client.call('completeActivity', { params: { activityId: call.id } });
      expect(completeCall.status).toBe(409);
      expect(completeCall.body.code).toBe('conflict');
      const dueOnCall = await client.call('updateActivity', {
        params: { activityId: call.id },
        body: { dueAt: '2026-12-01T00:00:00Z' },
      });
      expect(dueOnCall.status).toBe(422);
      const followUp = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-28T02:00:00Z',
      });
      const occurredOnFollowUp = await client.call('updateActivity', {
        params: { activityId: followUp.id },
        body: { occurredAt: '2026-12-01T00:00:00Z' },
      });
      expect(occurredOnFollowUp.status).toBe(422);
      expect(occurredOnFollowUp.body.errors).toEqual([expect.objectContaining({ pointer: '/occurredAt' })]);
    });

    test('completing a missing activity is a 404', async () => {
      const res = await fresh().call('completeActivity', {
        params: { activityId: 'act_01JDQAC2D3E4F5G6H7J8K9M0NP' },
      });
      expect(res.status).toBe(404);
    });
  });

  test('the opportunity opened by a conversion starts its stage history at qualification', async () => {
    const client = fresh();
    const lead = await qualifiedLead(client);
    const res = await client.call('convertLead', {
      params: { leadId: lead.id },
      body: { opportunity: { name: 'Pilot', amount: { amount: 100, currency: 'CNY' } } },
    });
    expect(res.body.opportunity.stageHistory).toEqual([
      { stage: 'qualification', enteredAt: clock.now().toISOString() },
    ]);
  });
});
