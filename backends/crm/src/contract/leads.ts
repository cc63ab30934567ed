// Contract scenarios for leads: CRUD, the status/source/`q` filters, paging, and conversion into a customer with
// its primary contact and, optionally, an opportunity.
import { ids, newLead, qualifiedLead } from '../testing/fixtures';
import { allPages, type CrmContract } from './context';

export function leadScenarios(ctx: CrmContract): void {
  describe('leads', () => {
    test('creates, reads, updates, lists with filters and deletes a lead', async () => {
      const client = ctx.fresh();
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
      const client = ctx.fresh();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await newLead(client, { name: `Lead ${i}` })).id);
      expect(await allPages(client, 'listLeads')).toEqual(made.reverse());
    });

    test('converting a qualified lead creates the customer, its primary contact and an opportunity', async () => {
      const client = ctx.fresh();
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
      const client = ctx.fresh();
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
}
