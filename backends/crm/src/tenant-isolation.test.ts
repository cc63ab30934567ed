// Every CRM record is partitioned by partner and environment: another partner, and the same partner in the
// other environment, get 404 for each id (read, change, delete, act on) and empty lists, and cannot attach their
// records to it. The owner still sees everything unchanged afterwards.
import type { Identity } from '../../../internal/src/http/locals';
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';
import { ids, newActivity, newContact, newCustomer, newOpportunity, qualifiedLead } from './testing/fixtures';

describeEachStore('CRM tenant isolation', (store) => {
  let crm: TestService<CrmTables>;
  let owner: ContractClient;
  let records: { customer: any; contact: any; lead: any; opportunity: any; activity: any };
  beforeAll(async () => {
    crm = await startCrm(store);
    owner = crm.client.as(newTestIdentity('test'));
    const customer = await newCustomer(owner);
    const contact = await newContact(owner, customer.id, { isPrimary: true });
    const lead = await qualifiedLead(owner);
    const opportunity = await newOpportunity(owner, customer.id, { contactId: contact.id });
    const activity = await newActivity(owner, customer.id, {
      type: 'follow_up',
      dueAt: '2026-11-28T02:00:00Z',
      contactId: contact.id,
    });
    records = { customer, contact, lead, opportunity, activity };
  });
  afterAll(() => crm.close());

  const strangers: Array<[string, () => Identity]> = [
    ['another partner', () => newTestIdentity('test')],
    ['the same partner in live', () => ({ partnerId: owner.identity!.partnerId, environment: 'live' })],
  ];

  describe.each(strangers)('%s', (_label, identity) => {
    let other: ContractClient;
    beforeAll(() => {
      other = crm.client.as(identity());
    });

    const expect404 = async (operationId: string, params: Record<string, string>, body?: unknown) => {
      const res = await other.call(operationId, { params, ...(body !== undefined ? { body } : {}) });
      expect({ operationId, status: res.status, code: res.body.code }).toEqual({
        operationId,
        status: 404,
        code: 'not_found',
      });
    };

    test('customers: 404 by id and an empty list', async () => {
      const params = { customerId: records.customer.id };
      await expect404('getCustomer', params);
      await expect404('updateCustomer', params, { name: 'Taken over' });
      await expect404('deleteCustomer', params);
      expect(ids(await other.call('listCustomers'))).toEqual([]);
    });

    test('contacts: 404 by id and through the customer, and none can be added to it', async () => {
      const params = { contactId: records.contact.id };
      await expect404('getContact', params);
      await expect404('updateContact', params, { isPrimary: false });
      await expect404('deleteContact', params);
      await expect404('listContacts', { customerId: records.customer.id });
      await expect404(
        'createContact',
        { customerId: records.customer.id },
        { name: 'Intruder', isPrimary: true },
      );
    });

    test('leads: 404 by id (including convert) and an empty list', async () => {
      const params = { leadId: records.lead.id };
      await expect404('getLead', params);
      await expect404('updateLead', params, { status: 'disqualified' });
      await expect404('convertLead', params, {});
      await expect404('deleteLead', params);
      expect(ids(await other.call('listLeads'))).toEqual([]);
    });

    test('opportunities: 404 by id, an empty list even filtered by the customer, and none can be opened for it', async () => {
      const params = { opportunityId: records.opportunity.id };
      await expect404('getOpportunity', params);
      await expect404('updateOpportunity', params, { stage: 'won' });
      await expect404('deleteOpportunity', params);
      expect(ids(await other.call('listOpportunities'))).toEqual([]);
      expect(
        ids(await other.call('listOpportunities', { query: { customerId: records.customer.id } })),
      ).toEqual([]);
      await expect404(
        'createOpportunity',
        {},
        {
          customerId: records.customer.id,
          name: 'Hijack',
          amount: { amount: 1, currency: 'CNY' },
        },
      );
    });

    test('activities: 404 by id (including complete), an empty timeline, and none can be recorded on it', async () => {
      const params = { activityId: records.activity.id };
      await expect404('getActivity', params);
      await expect404('updateActivity', params, { subject: 'Changed' });
      await expect404('completeActivity', params);
      await expect404('deleteActivity', params);
      expect(ids(await other.call('listActivities'))).toEqual([]);
      expect(ids(await other.call('listActivities', { query: { customerId: records.customer.id } }))).toEqual(
        [],
      );
      await expect404('createActivity', {}, { customerId: records.customer.id, type: 'note', subject: 'Hi' });
    });

    test("their own records cannot point at the owner's contact", async () => {
      const mine = await newCustomer(other);
      const res = await other.call('createOpportunity', {
        body: {
          customerId: mine.id,
          contactId: records.contact.id,
          name: 'X',
          amount: { amount: 1, currency: 'CNY' },
        },
      });
      expect(res.status).toBe(404);
    });
  });

  test('the owner still sees every record unchanged', async () => {
    const { customer, contact, lead, opportunity, activity } = records;
    expect((await owner.call('getCustomer', { params: { customerId: customer.id } })).body).toEqual(customer);
    expect((await owner.call('getContact', { params: { contactId: contact.id } })).body).toEqual(contact);
    expect((await owner.call('getLead', { params: { leadId: lead.id } })).body).toEqual(lead);
    expect((await owner.call('getOpportunity', { params: { opportunityId: opportunity.id } })).body).toEqual(
      opportunity,
    );
    expect((await owner.call('getActivity', { params: { activityId: activity.id } })).body).toEqual(activity);
    expect(ids(await owner.call('listContacts', { params: { customerId: customer.id } }))).toEqual([
      contact.id,
    ]);
  });
});
