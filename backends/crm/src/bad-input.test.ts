// Bad input never reaches the CRM store: each malformed request gets a problem+json naming the culprit.
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';
import { newCustomer, newOpportunity, qualifiedLead } from './testing/fixtures';

describeEachStore('CRM bad input', (store) => {
  let crm: TestService<CrmTables>;
  beforeAll(async () => {
    crm = await startCrm(store);
  });
  afterAll(() => crm.close());

  const countRows = (table: keyof CrmTables) => async () =>
    Number(
      (
        await crm.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const countCustomers = countRows('customers');

  test('createCustomer refuses every kind of bad input and writes nothing', async () => {
    await expectBadInputRejected(crm.client, {
      operationId: 'createCustomer',
      validBody: { kind: 'organization', name: 'Sunrise Family Clinic', tags: ['clinic'] },
      wrongType: { pointer: '/name', value: 42 },
      missing: '/kind',
      count: countCustomers,
    });
  });

  test('createContact refuses every kind of bad input and writes nothing', async () => {
    const customer = await newCustomer(crm.client);
    await expectBadInputRejected(crm.client, {
      operationId: 'createContact',
      params: { customerId: customer.id },
      validBody: {
        name: 'Zhang Min',
        title: 'Clinic Director',
        wechatId: 'zhangmin_sunrise',
        isPrimary: true,
      },
      wrongType: { pointer: '/isPrimary', value: 'yes' },
      missing: '/name',
      count: countRows('contacts'),
    });
  });

  test('createOpportunity refuses every kind of bad input and writes nothing', async () => {
    const customer = await newCustomer(crm.client);
    await expectBadInputRejected(crm.client, {
      operationId: 'createOpportunity',
      validBody: {
        customerId: customer.id,
        name: 'Chronic-care packages',
        amount: { amount: 4500000, currency: 'CNY' },
      },
      wrongType: { pointer: '/amount/amount', value: '45000.00' },
      missing: '/amount',
      nestedUnknown: '/amount/notAField',
      count: countRows('opportunities'),
    });
  });

  test('updateCustomer refuses every kind of bad input and leaves the customer untouched (updatedAt too)', async () => {
    const customer = await newCustomer(crm.client, { tags: ['clinic'], metadata: { region: 'Hangzhou' } });
    const params = { customerId: customer.id };
    await expectBadInputRejected(crm.client, {
      operationId: 'updateCustomer',
      params,
      validBody: { name: 'Sunrise Clinic (Xihu)', tags: ['clinic', 'vip'] },
      wrongType: { pointer: '/tags/1', value: 7 },
      count: async () => (await crm.client.call('getCustomer', { params })).body,
    });
    expect((await crm.client.call('getCustomer', { params })).body.updatedAt).toBe(customer.updatedAt);
  });

  test('updateOpportunity refuses every kind of bad input, nested ones included, and changes nothing', async () => {
    const customer = await newCustomer(crm.client);
    const opportunity = await newOpportunity(crm.client, customer.id);
    const params = { opportunityId: opportunity.id };
    await expectBadInputRejected(crm.client, {
      operationId: 'updateOpportunity',
      params,
      validBody: { name: 'Renamed', amount: { amount: 5_000_000, currency: 'CNY' } },
      wrongType: { pointer: '/amount/amount', value: '50000.00' },
      missing: '/amount/currency',
      nestedUnknown: '/amount/notAField',
      count: countRows('opportunities'),
    });
    expect((await crm.client.call('getOpportunity', { params })).body).toEqual(opportunity);
  });

  test('convertLead refuses every kind of bad input in its body and converts nothing', async () => {
    const lead = await qualifiedLead(crm.client);
    const params = { leadId: lead.id };
    await expectBadInputRejected(crm.client, {
      operationId: 'convertLead',
      params,
      validBody: {
        customer: { tags: ['pharmacy'] },
        opportunity: { name: 'Chronic-care packages', amount: { amount: 4_500_000, currency: 'CNY' } },
      },
      wrongType: { pointer: '/opportunity/amount/amount', value: '45000.00' },
      missing: '/opportunity/amount',
      nestedUnknown: '/customer/notAField',
      count: countCustomers,
    });
    // Still qualified and untouched (updatedAt included): every refusal came before the conversion began.
    expect((await crm.client.call('getLead', { params })).body).toEqual(lead);
  });

  test('createLead refuses every kind of bad input and writes nothing', async () => {
    await expectBadInputRejected(crm.client, {
      operationId: 'createLead',
      validBody: { source: 'wechat', name: 'Chen Jing', wechatId: 'chenjing_kn' },
      wrongType: { pointer: '/source', value: 7 },
      missing: '/source',
      count: countRows('leads'),
    });
  });

  test('createActivity refuses every kind of bad input and writes nothing', async () => {
    const customer = await newCustomer(crm.client);
    await expectBadInputRejected(crm.client, {
      operationId: 'createActivity',
      validBody: { customerId: customer.id, type: 'call', subject: 'Introductory call' },
      wrongType: { pointer: '/occurredAt', value: 1732440600 },
      missing: '/subject',
      count: countRows('activities'),
    });
  });

  test('a nested wrong type is named by its full pointer', async () => {
    const res = await crm.client.call('createCustomer', {
      body: { kind: 'person', name: 'Li', tags: ['ok', 7] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/tags/1' })]),
    );
  });

  test('an invalid query parameter is named by its parameter name', async () => {
    const res = await crm.client.call('listCustomers', { query: { limit: 1000 } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ parameter: 'limit' })]);
  });

  test('an unknown path is a 404 problem and a wrong method a 405 with Allow', async () => {
    const missing = await crm.client.request('GET', '/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('route_not_found');
    const outside = await fetch(`${crm.baseUrl}/elsewhere`, {
      headers: crm.identityHeaders({ partnerId: 'prt_someone', environment: 'test' }),
    });
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const wrongMethod = await crm.client.request('PUT', '/customers');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toMatch(/GET/);
    expect(wrongMethod.body.code).toBe('method_not_allowed');
  });

  test('a request without a caller identity is refused with 401 before anything else', async () => {
    const res = await crm.client.as(undefined).call('listCustomers');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('PorticoIdentity realm="portico"');
  });
});
