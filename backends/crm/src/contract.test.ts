// Contract tests for the CRM backend: every operation of specs/crm is called, and every response — success or
// error — is validated against the spec by the client. The last test fails if an operation was never called.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';

describeEachStore('CRM contract', (store) => {
  let crm: TestService<CrmTables>;
  beforeAll(async () => {
    crm = await startCrm(store);
  });
  afterAll(() => crm.close());

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

  test('every operation of specs/crm was called', () => {
    expect(crm.client.uncovered()).toEqual([]);
  });
});
