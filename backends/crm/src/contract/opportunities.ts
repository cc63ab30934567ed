// Contract scenarios for opportunities: CRUD with the stage history, the customer/stage filters, paging, and the
// references in the body (an existing customer, a contact of that customer: 422 with a pointer otherwise).
import { ids, newContact, newCustomer, newOpportunity } from '../testing/fixtures';
import { allPages, type CrmContract } from './context';

export function opportunityScenarios(ctx: CrmContract): void {
  describe('opportunities', () => {
    test('opens, reads, updates, lists by customer and stage, and deletes an opportunity', async () => {
      const client = ctx.fresh();
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
      expect(
        updated.body.stageHistory.map((s: { fromStage?: string; stage: string }) => [s.fromStage, s.stage]),
      ).toEqual([
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

    test('the customer and contact in the body must exist and belong together (422 naming the member)', async () => {
      const client = ctx.fresh();
      const body = { name: 'X', amount: { amount: 1, currency: 'CNY' } };
      const missingCustomer = await client.call('createOpportunity', {
        body: { ...body, customerId: 'cus_01JDQ7X3S4T1V9KX2M5Q8W0ZAB' },
      });
      expect(missingCustomer.status).toBe(422);
      expect(missingCustomer.body.code).toBe('unprocessable');
      expect(missingCustomer.body.errors).toEqual([expect.objectContaining({ pointer: '/customerId' })]);
      const customer = await newCustomer(client);
      const missingContact = await client.call('createOpportunity', {
        body: { ...body, customerId: customer.id, contactId: 'con_01JDQ8A2B3C4D5E6F7G8H9J0KM' },
      });
      expect(missingContact.status).toBe(422);
      expect(missingContact.body.errors).toEqual([expect.objectContaining({ pointer: '/contactId' })]);
      const other = await newCustomer(client, { name: 'Other' });
      const stranger = await newContact(client, other.id);
      const wrongContact = await client.call('createOpportunity', {
        body: { ...body, customerId: customer.id, contactId: stranger.id },
      });
      expect(wrongContact.status).toBe(422);
      expect(wrongContact.body.errors).toEqual([expect.objectContaining({ pointer: '/contactId' })]);
      expect(ids(await client.call('listOpportunities'))).toEqual([]);

      const opportunity = await newOpportunity(client, customer.id);
      for (const contactId of ['con_01JDQ8A2B3C4D5E6F7G8H9J0KM', stranger.id]) {
        const refused = await client.call('updateOpportunity', {
          params: { opportunityId: opportunity.id },
          body: { contactId, name: 'Renamed' },
        });
        expect(refused.status).toBe(422);
        expect(refused.body.errors).toEqual([expect.objectContaining({ pointer: '/contactId' })]);
      }
      const unchanged = await client.call('getOpportunity', { params: { opportunityId: opportunity.id } });
      expect(unchanged.body).toEqual(opportunity);
    });

    test('pages through opportunities newest first', async () => {
      const client = ctx.fresh();
      const customer = await newCustomer(client);
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push((await newOpportunity(client, customer.id, { name: `Deal ${i}` })).id);
      expect(await allPages(client, 'listOpportunities', { query: { customerId: customer.id } })).toEqual(
        made.reverse(),
      );
    });
  });
}
