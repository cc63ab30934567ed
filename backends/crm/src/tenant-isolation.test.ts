// Every CRM record is partitioned by partner and environment: another partner, and the same partner in the
// other environment, get 404 for each id in the URL, empty lists, and 422 for each id in a body (they cannot attach
// their records to the owner's). The owner still sees everything unchanged afterwards.
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
    /** An id of the owner's in a request body is answered like a missing one: 422 naming the member. */
    const expect422 = async (
      operationId: string,
      params: Record<string, string>,
      body: Record<string, unknown>,
      pointer: string,
    ) => {
      const res = await other.call(operationId, { params, body });
      expect({ operationId, status: res.status, code: res.body.code }).toEqual({
        operationId,
        status: 422,
        code: 'unprocessable',
      });
      expect(res.body.errors).toEqual([expect.objectContaining({ pointer })]);
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
      await expect422(
        'createOpportunity',
        {},
        {
          customerId: records.customer.id,
          name: 'Hijack',
          amount: { amount: 1, currency: 'CNY' },
        },
        '/customerId',
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
      await expect422(
        'createActivity',
        {},
        { customerId: records.customer.id, type: 'note', subject: 'Hi' },
        '/customerId',
      );
      expect(ids(await other.call('listActivities', { query: { contactId: records.contact.id } }))).toEqual(
        [],
      );
      expect(
        ids(await other.call('listActivities', { query: { opportunityId: records.opportunity.id } })),
      ).toEqual([]);
    });

    test("their own records cannot point at the owner's contact or opportunity (422), and nothing changes", async () => {
      const mine = await newCustomer(other);
      const myContact = await newContact(other, mine.id);
      const myOpportunity = await newOpportunity(other, mine.id, { contactId: myContact.id });
      const myActivity = await newActivity(other, mine.id, {
        contactId: myContact.id,
        opportunityId: myOpportunity.id,
      });
      const amount = { amount: 1, currency: 'CNY' };
      await expect422(
        'createOpportunity',
        {},
        { customerId: mine.id, contactId: records.contact.id, name: 'X', amount },
        '/contactId',
      );
      await expect422(
        'updateOpportunity',
        { opportunityId: myOpportunity.id },
        { contactId: records.contact.id, name: 'Renamed' },
        '/contactId',
      );
      const note = { customerId: mine.id, type: 'note', subject: 'Hi' };
      await expect422('createActivity', {}, { ...note, contactId: records.contact.id }, '/contactId');
      await expect422(
        'createActivity',
        {},
        { ...note, opportunityId: records.opportunity.id },
        '/opportunityId',
      );
      await expect422(
        'updateActivity',
        { activityId: myActivity.id },
        { contactId: records.contact.id, subject: 'Changed' },
        '/contactId',
      );
      await expect422(
        'updateActivity',
        { activityId: myActivity.id },
        { opportunityId: records.opportunity.id, subject: 'Changed' },
        '/opportunityId',
      );
      expect(
        (await other.call('getOpportunity', { params: { opportunityId: myOpportunity.id } })).body,
      ).toEqual(myOpportunity);
      expect((await other.call('getActivity', { params: { activityId: myActivity.id } })).body).toEqual(
        myActivity,
      );
      expect(ids(await other.call('listActivities', { query: { customerId: mine.id } }))).toEqual([
        myActivity.id,
      ]);
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
    expect(ids(await owner.call('listOpportunities'))).toEqual([opportunity.id]);
    expect(ids(await owner.call('listActivities'))).toEqual([activity.id]);
  });
});
