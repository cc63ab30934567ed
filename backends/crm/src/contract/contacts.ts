// Contract scenarios for contacts: CRUD under a customer, the isPrimary and `q` filters, paging, a missing
// customer in the URL (404), and what deleting a contact leaves behind.
import { ids, newActivity, newContact, newCustomer, newOpportunity } from '../testing/fixtures';
import { allPages, type CrmContract } from './context';

export function contactScenarios(ctx: CrmContract): void {
  describe('contacts', () => {
    test('creates, reads, updates, lists and deletes a contact of a customer', async () => {
      const client = ctx.fresh();
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
      const client = ctx.fresh();
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
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await newContact(client, customer.id, { name: `Contact ${i}` })).id);
      expect(await allPages(client, 'listContacts', { params: { customerId: customer.id } })).toEqual(
        made.reverse(),
      );
    });

    test('deleting a contact keeps the opportunities and activities that named it, without the contact', async () => {
      const client = ctx.fresh();
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
}
