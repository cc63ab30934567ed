// Contract tests for the CRM backend: every operation of specs/crm is called, and every response — success or
// error — is validated against the spec by the client. The last test fails if an operation was never called.
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';
import {
  ids,
  newActivity,
  newContact,
  newCustomer,
  newLead,
  newOpportunity,
  qualifiedLead,
} from './testing/fixtures';

describeEachStore('CRM contract', (store) => {
  let crm: TestService<CrmTables>;
  beforeAll(async () => {
    crm = await startCrm(store);
  });
  afterAll(() => crm.close());
  /** A client for a tenant of its own, so that each test's lists hold only its own records. */
  const fresh = (): ContractClient => crm.client.as(newTestIdentity());

  /** Pages through a list with `limit` 2 and returns every id in order. */
  async function allPages(client: ContractClient, operationId: string, options: Record<string, any> = {}) {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.call(operationId, {
        ...options,
        query: { ...options.query, limit: 2, cursor },
      });
      expect(page.status).toBe(200);
      seen.push(...ids(page));
      cursor = page.body.nextCursor ?? undefined;
      expect(page.body.hasMore).toBe(cursor !== undefined);
    } while (cursor);
    return seen;
  }

  describe('customers', () => {
    test('creates, reads, updates, lists with filters and deletes a customer', async () => {
      const created = await crm.client.call('createCustomer', {
        body: {
          kind: 'organization',
          name: 'Sunrise Family Clinic',
          email: 'hi@sunrise.example',
          tags: ['clinic'],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        kind: 'organization',
        lifecycleStage: 'prospect',
        tags: ['clinic'],
      });
      expect(created.headers.get('location')).toMatch(new RegExp(`/customers/${created.body.id}$`));
      const id = created.body.id as string;

      const got = await crm.client.call('getCustomer', { params: { customerId: id } });
      expect(got.body).toEqual(created.body);

      const updated = await crm.client.call('updateCustomer', {
        params: { customerId: id },
        body: { lifecycleStage: 'customer', email: null },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.lifecycleStage).toBe('customer');
      expect(updated.body.email).toBeUndefined();

      await crm.client.call('createCustomer', {
        body: { kind: 'person', name: 'Li Wei', tags: ['vip_50%'] },
      });
      const byTag = await crm.client.call('listCustomers', { query: { tag: 'clinic' } });
      expect(byTag.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
      // LIKE wildcards in a filter are literal characters.
      const wild = await crm.client.call('listCustomers', { query: { tag: 'vip_5%' } });
      expect(wild.body.data).toEqual([]);
      const search = await crm.client.call('listCustomers', { query: { q: 'SUNRISE' } });
      expect(search.body.data.map((c: { id: string }) => c.id)).toEqual([id]);

      expect((await crm.client.call('deleteCustomer', { params: { customerId: id } })).status).toBe(204);
      expect((await crm.client.call('getCustomer', { params: { customerId: id } })).status).toBe(404);
      expect((await crm.client.call('deleteCustomer', { params: { customerId: id } })).status).toBe(404);
    });

    test('pages through customers newest first with an opaque cursor', async () => {
      const client = crm.client.as({ partnerId: 'prt_pagination1', environment: 'test' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await client.call('createCustomer', { body: { kind: 'person', name: `P${i}` } })).body.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.call('listCustomers', { query: { limit: 2, cursor } });
        seen.push(...page.body.data.map((c: { id: string }) => c.id));
        cursor = page.body.nextCursor ?? undefined;
        expect(page.body.hasMore).toBe(cursor !== undefined);
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
      const bad = await client.call('listCustomers', { query: { cursor: 'not-a-cursor' } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_cursor');
    });
  });

  describe('customers and what hangs off them', () => {
    test('a customer with opportunities cannot be deleted (409) and nothing of it is removed', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id);
      const refused = await client.call('deleteCustomer', { params: { customerId: customer.id } });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('conflict');
      expect((await client.call('getContact', { params: { contactId: contact.id } })).status).toBe(200);
      expect(
        (await client.call('deleteOpportunity', { params: { opportunityId: opportunity.id } })).status,
      ).toBe(204);
      expect((await client.call('deleteCustomer', { params: { customerId: customer.id } })).status).toBe(204);
    });

    test('deleting a customer deletes its contacts and activities', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Kangning Pharmacy' });
      const contact = await newContact(client, customer.id);
      const activity = await newActivity(client, customer.id, { contactId: contact.id });
      const kept = await newActivity(client, other.id);
      expect((await client.call('deleteCustomer', { params: { customerId: customer.id } })).status).toBe(204);
      expect((await client.call('getContact', { params: { contactId: contact.id } })).status).toBe(404);
      expect((await client.call('getActivity', { params: { activityId: activity.id } })).status).toBe(404);
      expect(ids(await client.call('listActivities'))).toEqual([kept.id]);
    });
  });

  describe('contacts', () => {
    test('creates, reads, updates, lists and deletes a contact of a customer', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const created = await client.call('createContact', {
        params: { customerId: customer.id },
        body: {
          name: 'Zhang Min',
          title: 'Clinic Director',
          email: 'zhang.min@sunrise.example',
          phone: '+86 138 0013 8000',
          wechatId: 'zhangmin_sunrise',
          isPrimary: true,
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        customerId: customer.id,
        isPrimary: true,
        wechatId: 'zhangmin_sunrise',
      });
      expect(created.headers.get('location')).toBe(`/crm/v1/contacts/${created.body.id}`);
      const id = created.body.id as string;
      expect((await client.call('getContact', { params: { contactId: id } })).body).toEqual(created.body);

      const updated = await client.call('updateContact', {
        params: { contactId: id },
        body: { title: null, phone: '+86 139 0000 0000' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.title).toBeUndefined();
      expect(updated.body.phone).toBe('+86 139 0000 0000');

      const nurse = await newContact(client, customer.id, {
        name: 'Wang Fang',
        email: 'wang.fang@sunrise.example',
      });
      const all = await client.call('listContacts', { params: { customerId: customer.id } });
      expect(ids(all)).toEqual([nurse.id, id]);
      const primary = await client.call('listContacts', {
        params: { customerId: customer.id },
        query: { isPrimary: true },
      });
      expect(ids(primary)).toEqual([id]);
      const others = await client.call('listContacts', {
        params: { customerId: customer.id },
        query: { isPrimary: false },
      });
      expect(ids(others)).toEqual([nurse.id]);
      const search = await client.call('listContacts', {
        params: { customerId: customer.id },
        query: { q: 'WANG' },
      });
      expect(ids(search)).toEqual([nurse.id]);

      expect((await client.call('deleteContact', { params: { contactId: id } })).status).toBe(204);
      expect((await client.call('getContact', { params: { contactId: id } })).status).toBe(404);
      expect((await client.call('deleteContact', { params: { contactId: id } })).status).toBe(404);
      expect(
        (await client.call('updateContact', { params: { contactId: id }, body: { name: 'X' } })).status,
      ).toBe(404);
    });

    test('contacts of a missing customer are a 404, for listing and for adding', async () => {
      const client = fresh();
      const missing = 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB';
      expect((await client.call('listContacts', { params: { customerId: missing } })).status).toBe(404);
      const create = await client.call('createContact', {
        params: { customerId: missing },
        body: { name: 'Nobody' },
      });
      expect(create.status).toBe(404);
      expect(create.body.code).toBe('not_found');
    });

    test("pages through a customer's contacts newest first", async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await newContact(client, customer.id, { name: `Contact ${i}` })).id);
      expect(await allPages(client, 'listContacts', { params: { customerId: customer.id } })).toEqual(
        made.reverse(),
      );
    });

    test('deleting a contact keeps the opportunities and activities that named it, without the contact', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id, { contactId: contact.id });
      const activity = await newActivity(client, customer.id, { contactId: contact.id });
      expect((await client.call('deleteContact', { params: { contactId: contact.id } })).status).toBe(204);
      const keptOpportunity = await client.call('getOpportunity', {
        params: { opportunityId: opportunity.id },
      });
      expect(keptOpportunity.status).toBe(200);
      expect(keptOpportunity.body.contactId).toBeUndefined();
      const keptActivity = await client.call('getActivity', { params: { activityId: activity.id } });
      expect(keptActivity.status).toBe(200);
      expect(keptActivity.body.contactId).toBeUndefined();
    });
  });

  describe('leads', () => {
    test('creates, reads, updates, lists with filters and deletes a lead', async () => {
      const client = fresh();
      const created = await client.call('createLead', {
        body: {
          source: 'event',
          name: 'Dr. Liu Yang',
          companyName: 'Harmony Dental Clinic',
          email: 'liu.yang@harmony.example',
          notes: 'Met at the health expo.',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'new',
        source: 'event',
        companyName: 'Harmony Dental Clinic',
      });
      expect(created.headers.get('location')).toBe(`/crm/v1/leads/${created.body.id}`);
      const id = created.body.id as string;
      expect((await client.call('getLead', { params: { leadId: id } })).body).toEqual(created.body);

      const updated = await client.call('updateLead', {
        params: { leadId: id },
        body: { status: 'contacted', notes: null, phone: '+86 139 0000 1234' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ status: 'contacted', phone: '+86 139 0000 1234' });
      expect(updated.body.notes).toBeUndefined();

      const web = await newLead(client, { source: 'website', name: 'Sun Li', companyName: undefined });
      expect(ids(await client.call('listLeads', { query: { status: 'contacted' } }))).toEqual([id]);
      expect(ids(await client.call('listLeads', { query: { source: 'website' } }))).toEqual([web.id]);
      expect(ids(await client.call('listLeads', { query: { q: 'harmony' } }))).toEqual([id]);
      expect(ids(await client.call('listLeads', { query: { q: 'sun li' } }))).toEqual([web.id]);

      expect((await client.call('deleteLead', { params: { leadId: id } })).status).toBe(204);
      expect((await client.call('getLead', { params: { leadId: id } })).status).toBe(404);
      expect((await client.call('deleteLead', { params: { leadId: id } })).status).toBe(404);
    });

    test('pages through leads newest first', async () => {
      const client = fresh();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await newLead(client, { name: `Lead ${i}` })).id);
      expect(await allPages(client, 'listLeads')).toEqual(made.reverse());
    });

    test('converting a qualified lead creates the customer, its primary contact and an opportunity', async () => {
      const client = fresh();
      const lead = await qualifiedLead(client, {
        title: 'Store Manager',
        phone: '+86 139 0000 1234',
        wechatId: 'chenjing_kn',
      });
      const res = await client.call('convertLead', {
        params: { leadId: lead.id },
        body: {
          customer: { tags: ['pharmacy'] },
          opportunity: {
            name: 'Chronic-care packages',
            amount: { amount: 4_500_000, currency: 'CNY' },
            expectedCloseDate: '2027-03-31',
          },
        },
      });
      expect(res.status).toBe(201);
      const { customer, contact, opportunity } = res.body;
      expect(res.headers.get('location')).toBe(`/crm/v1/customers/${customer.id}`);
      expect(customer).toMatchObject({ kind: 'organization', name: 'Kangning Pharmacy', tags: ['pharmacy'] });
      expect(contact).toMatchObject({
        customerId: customer.id,
        name: 'Chen Jing',
        title: 'Store Manager',
        wechatId: 'chenjing_kn',
        isPrimary: true,
      });
      expect(opportunity).toMatchObject({
        customerId: customer.id,
        contactId: contact.id,
        leadId: lead.id,
        stage: 'qualification',
        amount: { amount: 4_500_000, currency: 'CNY' },
      });
      expect(res.body.lead).toMatchObject({
        status: 'converted',
        convertedCustomerId: customer.id,
        convertedContactId: contact.id,
        convertedOpportunityId: opportunity.id,
      });
      expect((await client.call('getLead', { params: { leadId: lead.id } })).body).toEqual(res.body.lead);
      expect((await client.call('getCustomer', { params: { customerId: customer.id } })).body).toEqual(
        customer,
      );
      expect(ids(await client.call('listOpportunities', { query: { customerId: customer.id } }))).toEqual([
        opportunity.id,
      ]);
    });

    test('converting without a body makes a person customer from a lead without a company, and no opportunity', async () => {
      const client = fresh();
      const lead = await qualifiedLead(client, {
        companyName: undefined,
        name: 'Sun Li',
        email: 'sun.li@example.com',
      });
      const res = await client.call('convertLead', { params: { leadId: lead.id } });
      expect(res.status).toBe(201);
      expect(res.body.customer).toMatchObject({
        kind: 'person',
        name: 'Sun Li',
        email: 'sun.li@example.com',
      });
      expect(res.body.opportunity).toBeUndefined();
      expect(res.body.lead.convertedOpportunityId).toBeUndefined();
    });
  });

  describe('opportunities', () => {
    test('opens, reads, updates, lists by customer and stage, and deletes an opportunity', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const contact = await newContact(client, customer.id);
      const created = await client.call('createOpportunity', {
        body: {
          customerId: customer.id,
          contactId: contact.id,
          name: 'Diabetes care packages',
          amount: { amount: 12_800_000, currency: 'CNY' },
          expectedCloseDate: '2027-01-31',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ stage: 'qualification', expectedCloseDate: '2027-01-31' });
      expect(created.body.stageHistory).toEqual([
        { stage: 'qualification', enteredAt: created.body.createdAt },
      ]);
      expect(created.headers.get('location')).toBe(`/crm/v1/opportunities/${created.body.id}`);
      const id = created.body.id as string;
      expect((await client.call('getOpportunity', { params: { opportunityId: id } })).body).toEqual(
        created.body,
      );

      const updated = await client.call('updateOpportunity', {
        params: { opportunityId: id },
        body: { stage: 'proposal', amount: { amount: 13_000_000, currency: 'CNY' }, expectedCloseDate: null },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        stage: 'proposal',
        amount: { amount: 13_000_000, currency: 'CNY' },
      });
      expect(updated.body.expectedCloseDate).toBeUndefined();
      expect(updated.body.stageHistory.map((s: any) => [s.fromStage, s.stage])).toEqual([
        [undefined, 'qualification'],
        ['qualification', 'proposal'],
      ]);

      const other = await newCustomer(client, { name: 'Kangning Pharmacy' });
      const otherOpp = await newOpportunity(client, other.id);
      expect(ids(await client.call('listOpportunities'))).toEqual([otherOpp.id, id]);
      expect(ids(await client.call('listOpportunities', { query: { customerId: customer.id } }))).toEqual([
        id,
      ]);
      expect(ids(await client.call('listOpportunities', { query: { stage: 'proposal' } }))).toEqual([id]);
      expect(ids(await client.call('listOpportunities', { query: { stage: 'qualification' } }))).toEqual([
        otherOpp.id,
      ]);
      const listed = await client.call('listOpportunities', { query: { customerId: customer.id } });
      expect(listed.body.data[0]).toEqual(updated.body);

      expect((await client.call('deleteOpportunity', { params: { opportunityId: id } })).status).toBe(204);
      expect((await client.call('getOpportunity', { params: { opportunityId: id } })).status).toBe(404);
      expect((await client.call('deleteOpportunity', { params: { opportunityId: id } })).status).toBe(404);
    });

    test('an opportunity needs an existing customer (404) and a contact of that customer (422)', async () => {
      const client = fresh();
      const missing = await client.call('createOpportunity', {
        body: {
          customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB',
          name: 'X',
          amount: { amount: 1, currency: 'CNY' },
        },
      });
      expect(missing.status).toBe(404);
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Other' });
      const stranger = await newContact(client, other.id);
      const wrongContact = await client.call('createOpportunity', {
        body: {
          customerId: customer.id,
          contactId: stranger.id,
          name: 'X',
          amount: { amount: 1, currency: 'CNY' },
        },
      });
      expect(wrongContact.status).toBe(422);
      expect(wrongContact.body.errors).toEqual([expect.objectContaining({ pointer: '/contactId' })]);
      expect(ids(await client.call('listOpportunities'))).toEqual([]);
    });

    test('pages through opportunities newest first', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await newOpportunity(client, customer.id, { name: `Deal ${i}` })).id);
      expect(await allPages(client, 'listOpportunities', { query: { customerId: customer.id } })).toEqual(
        made.reverse(),
      );
    });
  });

  describe('activities', () => {
    test('records, reads, updates, completes and deletes activities', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id);
      const visit = await client.call('createActivity', {
        body: {
          customerId: customer.id,
          contactId: contact.id,
          opportunityId: opportunity.id,
          type: 'visit',
          subject: 'On-site demo',
          content: 'Met the director.',
          occurredAt: '2026-11-24T17:30:00+08:00',
        },
      });
      expect(visit.status).toBe(201);
      // Times are normalised to UTC with milliseconds.
      expect(visit.body).toMatchObject({ type: 'visit', occurredAt: '2026-11-24T09:30:00.000Z' });
      expect(visit.headers.get('location')).toBe(`/crm/v1/activities/${visit.body.id}`);
      expect((await client.call('getActivity', { params: { activityId: visit.body.id } })).body).toEqual(
        visit.body,
      );

      const edited = await client.call('updateActivity', {
        params: { activityId: visit.body.id },
        body: { content: null, subject: 'On-site demo (2 nurses)', opportunityId: null },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.subject).toBe('On-site demo (2 nurses)');
      expect(edited.body.content).toBeUndefined();
      expect(edited.body.opportunityId).toBeUndefined();

      const followUp = await newActivity(client, customer.id, {
        type: 'follow_up',
        subject: 'Send the proposal',
        dueAt: '2026-11-28T02:00:00.000Z',
      });
      expect(followUp.dueAt).toBe('2026-11-28T02:00:00.000Z');
      expect(followUp.occurredAt).toBeUndefined();
      const moved = await client.call('updateActivity', {
        params: { activityId: followUp.id },
        body: { dueAt: '2026-11-29T02:00:00.000Z' },
      });
      expect(moved.body.dueAt).toBe('2026-11-29T02:00:00.000Z');
      const done = await client.call('completeActivity', { params: { activityId: followUp.id } });
      expect(done.status).toBe(200);
      expect(done.body.completedAt).toEqual(expect.any(String));

      expect((await client.call('deleteActivity', { params: { activityId: visit.body.id } })).status).toBe(
        204,
      );
      expect((await client.call('getActivity', { params: { activityId: visit.body.id } })).status).toBe(404);
      expect((await client.call('deleteActivity', { params: { activityId: visit.body.id } })).status).toBe(
        404,
      );
    });

    test('a customer timeline filters by customer, type, contact, opportunity, date range and follow-up status', async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Kangning Pharmacy' });
      const contact = await newContact(client, customer.id);
      const opportunity = await newOpportunity(client, customer.id);
      const call = await newActivity(client, customer.id, {
        type: 'call',
        occurredAt: '2026-11-01T10:00:00.000Z',
      });
      const wechat = await newActivity(client, customer.id, {
        type: 'wechat_message',
        contactId: contact.id,
        occurredAt: '2026-11-10T10:00:00.000Z',
      });
      const email = await newActivity(client, customer.id, {
        type: 'email',
        opportunityId: opportunity.id,
        occurredAt: '2026-11-20T10:00:00.000Z',
      });
      const open = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-15T10:00:00.000Z',
      });
      const closed = await newActivity(client, customer.id, {
        type: 'follow_up',
        dueAt: '2026-11-05T10:00:00.000Z',
      });
      await client.call('completeActivity', { params: { activityId: closed.id } });
      const elsewhere = await newActivity(client, other.id, {
        type: 'note',
        occurredAt: '2026-11-10T10:00:00.000Z',
      });

      const list = (query: Record<string, string>) => client.call('listActivities', { query });
      expect(ids(await list({ customerId: customer.id }))).toEqual([
        closed.id,
        open.id,
        email.id,
        wechat.id,
        call.id,
      ]);
      expect(ids(await list({ customerId: other.id }))).toEqual([elsewhere.id]);
      expect(ids(await list({ customerId: customer.id, type: 'wechat_message' }))).toEqual([wechat.id]);
      expect(ids(await list({ contactId: contact.id }))).toEqual([wechat.id]);
      expect(ids(await list({ opportunityId: opportunity.id }))).toEqual([email.id]);
      // `from` is inclusive, `to` exclusive; follow-ups count at their due time.
      expect(
        ids(
          await list({
            customerId: customer.id,
            from: '2026-11-05T10:00:00.000Z',
            to: '2026-11-20T10:00:00.000Z',
          }),
        ),
      ).toEqual([closed.id, open.id, wechat.id]);
      expect(ids(await list({ from: '2026-11-10T18:00:00+08:00' }))).toEqual([
        elsewhere.id,
        open.id,
        email.id,
        wechat.id,
      ]);
      expect(ids(await list({ followUpStatus: 'open' }))).toEqual([open.id]);
      expect(ids(await list({ followUpStatus: 'completed' }))).toEqual([closed.id]);
      expect(await allPages(client, 'listActivities', { query: { customerId: customer.id } })).toEqual([
        closed.id,
        open.id,
        email.id,
        wechat.id,
        call.id,
      ]);
    });

    test("activity times must fit the type (422) and references must be the customer's", async () => {
      const client = fresh();
      const customer = await newCustomer(client);
      const other = await newCustomer(client, { name: 'Other' });
      const strangerOpp = await newOpportunity(client, other.id);
      const noDue = await client.call('createActivity', {
        body: { customerId: customer.id, type: 'follow_up', subject: 'Call back' },
      });
      expect(noDue.status).toBe(422);
      expect(noDue.body.errors).toEqual([expect.objectContaining({ pointer: '/dueAt' })]);
      const dueOnCall = await client.call('createActivity', {
        body: { customerId: customer.id, type: 'call', subject: 'Call', dueAt: '2026-11-28T02:00:00.000Z' },
      });
      expect(dueOnCall.status).toBe(422);
      const wrongOpp = await client.call('createActivity', {
        body: { customerId: customer.id, type: 'note', subject: 'Note', opportunityId: strangerOpp.id },
      });
      expect(wrongOpp.status).toBe(422);
      expect(wrongOpp.body.errors).toEqual([expect.objectContaining({ pointer: '/opportunityId' })]);
      const missingCustomer = await client.call('createActivity', {
        body: { customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB', type: 'note', subject: 'Note' },
      });
      expect(missingCustomer.status).toBe(404);
      expect(ids(await client.call('listActivities'))).toEqual([]);
    });
  });

  test('every operation of specs/crm was called', () => {
    expect(crm.client.uncovered()).toEqual([]);
  });
});
