// The guarantees that must hold under concurrency and failure: one primary contact per customer, one conversion
// per lead (all of it or none of it), one winner among concurrent stage moves and follow-up completions.
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import { startCrm } from './crm-harness';
import { ProblemError } from '../../../internal/src/problem/problem';
import { isUniqueViolation, violatedUniqueIndex } from '../../../internal/src/store/constraint-errors';
import { createContact, ONE_PRIMARY_PER_CUSTOMER } from './store/contacts';
import { convertLead } from './store/lead-conversion';
import type { CrmTables } from './store/schema';
import { ids, newActivity, newContact, newCustomer, newOpportunity, qualifiedLead } from './testing/fixtures';

const PARALLEL = 8;

describeEachStore('CRM atomicity', (store) => {
  let crm: TestService<CrmTables>;
  beforeAll(async () => {
    crm = await startCrm(store);
  });
  afterAll(() => crm.close());
  const fresh = (): ContractClient => crm.client.as(newTestIdentity());

  async function primaries(client: ContractClient, customerId: string): Promise<string[]> {
    return ids(await client.call('listContacts', { params: { customerId }, query: { isPrimary: true } }));
  }

  describe('primary contact', () => {
    test('a new primary contact replaces the previous one', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const first = await newContact(client, customer.id, { isPrimary: true });
      const second = await newContact(client, customer.id, { name: 'Wang Fang', isPrimary: true });
      expect(await primaries(client, customer.id)).toEqual([second.id]);
      expect((await client.call('getContact', { params: { contactId: first.id } })).body.isPrimary).toBe(
        false,
      );
      const back = await client.call('updateContact', {
        params: { contactId: first.id },
        body: { isPrimary: true },
      });
      expect(back.body.isPrimary).toBe(true);
      expect(await primaries(client, customer.id)).toEqual([first.id]);
      await client.call('updateContact', { params: { contactId: first.id }, body: { isPrimary: false } });
      expect(await primaries(client, customer.id)).toEqual([]);
    });

    test(`${PARALLEL} concurrent primary contacts of one customer leave exactly one primary`, async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          client.call('createContact', {
            params: { customerId: customer.id },
            body: { name: `Contact ${i}`, isPrimary: true },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(PARALLEL).fill(201));
      expect(await primaries(client, customer.id)).toHaveLength(1);
    });

    test(`${PARALLEL} concurrent "make primary" updates of different contacts leave exactly one primary`, async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const contacts = [];
      for (let i = 0; i < PARALLEL; i++)
        contacts.push(await newContact(client, customer.id, { name: `C${i}` }));
      const results = await Promise.all(
        contacts.map((c) =>
          client.call('updateContact', { params: { contactId: c.id }, body: { isPrimary: true } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(PARALLEL).fill(200));
      const left = await primaries(client, customer.id);
      expect(left).toHaveLength(1);
    });

    test('the database itself refuses a second primary contact for a customer', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const primary = await newContact(client, customer.id, { isPrimary: true });
      const now = new Date().toISOString();
      const second = {
        ...{ id: crm.deps.newId('con'), customer_id: customer.id, name: 'Bypass', is_primary: 1 },
        ...{ partner_id: client.identity!.partnerId, environment: client.identity!.environment },
        ...{ title: null, email: null, phone: null, wechat_id: null, created_at: now, updated_at: now },
      };
      const refusal = await crm.database.db
        .insertInto('contacts')
        .values(second)
        .execute()
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      // The driver's error, not a generic failure: the partial unique index refused it, and it is recognised
      // as that index on this engine (PostgreSQL names it, SQLite names its columns).
      expect(isUniqueViolation(refusal)).toBe(true);
      expect(violatedUniqueIndex(refusal, ONE_PRIMARY_PER_CUSTOMER)).toBe(true);
      expect(await primaries(client, customer.id)).toEqual([primary.id]);
    });

    test('another unique refusal (a clashing id) is not reported as a lost primary-contact race', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const existing = await newContact(client, customer.id);
      const clashing = { db: crm.database.db, clock: crm.deps.clock, newId: () => existing.id };
      const refusal = await createContact(clashing, client.identity!, customer.id, {
        name: 'Clash',
        isPrimary: true,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isUniqueViolation(refusal)).toBe(true);
      expect(violatedUniqueIndex(refusal, ONE_PRIMARY_PER_CUSTOMER)).toBe(false);
      expect(refusal).not.toBeInstanceOf(ProblemError);
      expect(ids(await client.call('listContacts', { params: { customerId: customer.id } }))).toEqual([
        existing.id,
      ]);
    });

    test('primary contacts of different customers do not affect each other', async () => {
      const client = fresh();
      const a = await newCustomer(client);
      const b = await newCustomer(client, { name: 'Kangning Pharmacy' });
      const pa = await newContact(client, a.id, { isPrimary: true });
      const pb = await newContact(client, b.id, { isPrimary: true });
      expect(await primaries(client, a.id)).toEqual([pa.id]);
      expect(await primaries(client, b.id)).toEqual([pb.id]);
    });
  });

  describe('lead conversion', () => {
    test(`of ${PARALLEL} concurrent conversions of one lead exactly one succeeds, and one customer exists`, async () => {
      const client = fresh();
      const lead = await qualifiedLead(client);
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          client.call('convertLead', {
            params: { leadId: lead.id },
            body: { opportunity: { name: 'Pilot', amount: { amount: 100, currency: 'CNY' } } },
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
      const winner = results.find((r) => r.status === 201)!;
      expect(ids(await client.call('listCustomers'))).toEqual([winner.body.customer.id]);
      expect(ids(await client.call('listOpportunities'))).toEqual([winner.body.opportunity.id]);
      expect((await client.call('getLead', { params: { leadId: lead.id } })).body.convertedCustomerId).toBe(
        winner.body.customer.id,
      );
    });

    test('a conversion that fails half-way writes nothing and leaves the lead qualified', async () => {
      const client = fresh();
      const lead = await qualifiedLead(client);
      // Fail at the last record the conversion creates (the opportunity's first stage-history entry).
      const failing = {
        ...crm.deps,
        newId: (prefix: string) => {
          if (prefix === 'stg') throw new Error('simulated crash');
          return crm.deps.newId(prefix);
        },
      };
      await expect(
        convertLead(failing, client.identity!, lead.id, {
          opportunity: { name: 'Pilot', amount: { amount: 100, currency: 'CNY' } },
        }),
      ).rejects.toThrow('simulated crash');
      expect((await client.call('getLead', { params: { leadId: lead.id } })).body).toEqual(lead);
      expect(ids(await client.call('listCustomers'))).toEqual([]);
      expect(ids(await client.call('listOpportunities'))).toEqual([]);
      const count = await crm.database.db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('partner_id', '=', client.identity!.partnerId)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
      // And the lead can still be converted afterwards.
      expect((await client.call('convertLead', { params: { leadId: lead.id } })).status).toBe(201);
    });
  });

  test('of concurrent "won" and "lost" moves of one opportunity exactly one succeeds', async () => {
    const client = fresh();
    const customer = await newCustomer(client);
    const opportunity = await newOpportunity(client, customer.id);
    const results = await Promise.all(
      ['won', 'lost', 'won', 'lost'].map((stage) =>
        client.call('updateOpportunity', { params: { opportunityId: opportunity.id }, body: { stage } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const final = (await client.call('getOpportunity', { params: { opportunityId: opportunity.id } })).body;
    expect(final.stageHistory).toHaveLength(2);
    expect(final.stage).toBe(results.find((r) => r.status === 200)!.body.stage);
  });

  test(`of ${PARALLEL} concurrent completions of one follow-up exactly one succeeds`, async () => {
    const client = fresh();
    const customer = await newCustomer(client);
    const followUp = await newActivity(client, customer.id, {
      type: 'follow_up',
      dueAt: '2026-11-28T02:00:00Z',
    });
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        client.call('completeActivity', { params: { activityId: followUp.id } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(PARALLEL - 1).fill(409)]);
  });

  test('a customer deleted while opportunities are opened for it is either refused or leaves no orphans', async () => {
    const client = fresh();
    const customer = await newCustomer(client);
    const [deleted, ...opened] = await Promise.all([
      client.call('deleteCustomer', { params: { customerId: customer.id } }),
      ...Array.from({ length: 4 }, () => newOpportunity(client, customer.id).catch(() => undefined)),
    ]);
    const survivors = opened.filter(Boolean);
    if (deleted.status === 204) {
      expect(survivors).toEqual([]);
    } else {
      expect(deleted.status).toBe(409);
      expect(survivors.length).toBeGreaterThan(0);
    }
    expect(ids(await client.call('listOpportunities')).length).toBe(survivors.length);
  });
});
