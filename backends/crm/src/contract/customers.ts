// Contract scenarios for customers: CRUD, filters (tag exact and case-sensitive, `q` case-insensitive), paging,
// and what deleting a customer does to the records that hang off it.
import { ids, newActivity, newContact, newCustomer, newOpportunity } from '../testing/fixtures';
import { allPages, type CrmContract } from './context';

export function customerScenarios(ctx: CrmContract): void {
  describe('customers', () => {
    test('creates, reads, updates, lists with filters and deletes a customer', async () => {
      const client = ctx.fresh();
      const created = await client.call('createCustomer', {
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
      expect(created.headers.get('location')).toBe(`/crm/v1/customers/${created.body.id}`);
      const id = created.body.id as string;

      const got = await client.call('getCustomer', { params: { customerId: id } });
      expect(got.body).toEqual(created.body);

      const updated = await client.call('updateCustomer', {
        params: { customerId: id },
        body: { lifecycleStage: 'customer', email: null },
      });
      expect(updated.status).toBe(200);
      expect(updated.body.lifecycleStage).toBe('customer');
      expect(updated.body.email).toBeUndefined();

      await newCustomer(client, { kind: 'person', name: 'Li Wei', tags: ['vip_50%'] });
      expect(ids(await client.call('listCustomers', { query: { tag: 'clinic' } }))).toEqual([id]);
      // LIKE wildcards in a filter are literal characters.
      expect(ids(await client.call('listCustomers', { query: { tag: 'vip_5%' } }))).toEqual([]);
      expect(ids(await client.call('listCustomers', { query: { q: 'SUNRISE' } }))).toEqual([id]);

      expect((await client.call('deleteCustomer', { params: { customerId: id } })).status).toBe(204);
      expect((await client.call('getCustomer', { params: { customerId: id } })).status).toBe(404);
      expect((await client.call('deleteCustomer', { params: { customerId: id } })).status).toBe(404);
    });

    test('the tag filter is an exact, case-sensitive match while `q` ignores ASCII case', async () => {
      const client = ctx.fresh();
      const upper = await newCustomer(client, { name: 'Sunrise Family Clinic', tags: ['Clinic'] });
      const lower = await newCustomer(client, { name: 'Kangning Pharmacy', tags: ['clinic-partner'] });
      const list = async (query: Record<string, string>) =>
        ids(await client.call('listCustomers', { query }));
      expect(await list({ tag: 'clinic' })).toEqual([]);
      expect(await list({ tag: 'Clinic' })).toEqual([upper.id]);
      expect(await list({ tag: 'clinic-partner' })).toEqual([lower.id]);
      expect(await list({ q: 'sunrise family' })).toEqual([upper.id]);
      expect(await list({ q: 'KANGNING' })).toEqual([lower.id]);
      expect(await list({ q: 'kAnGnInG pHaRmAcY' })).toEqual([lower.id]);
    });

    test('pages through customers newest first with an opaque cursor', async () => {
      const client = ctx.fresh();
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await newCustomer(client, { kind: 'person', name: `P${i}` })).id);
      expect(await allPages(client, 'listCustomers')).toEqual(made.reverse());
      const bad = await client.call('listCustomers', { query: { cursor: 'not-a-cursor' } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_cursor');
    });
  });

  describe('customers and what hangs off them', () => {
    test('a customer with opportunities cannot be deleted (409) and nothing of it is removed', async () => {
      const client = ctx.fresh();
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
      const client = ctx.fresh();
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
}
