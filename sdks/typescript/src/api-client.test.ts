// The typed clients as the wire sees them, through an injected fetch: where a call goes (base URL, the spec's
// server path, encoded path parameters, the query), the body it carries, its Idempotency-Key, and pagination.
import { createPlatform, createPortico, type ClientOptions } from './portico';
import { ProblemError } from './errors';
import { fakeFetch, json, page, problem, type FakeFetch } from './testing/fake-fetch';

/** Client options beside the credential (the credential is each test's own). */
type ClientSettings = Partial<ClientOptions> & { baseUrl?: string; apiKey?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function portico(fetch: FakeFetch, options: ClientSettings = {}) {
  return createPortico({ apiKey: 'ptc_test_abc123', fetch, retry: { baseDelayMs: 1 }, ...options });
}

const customer = { id: 'cus_1', name: 'Sunrise Family Clinic' };

describe('URL building', () => {
  test.each([
    [undefined, 'http://127.0.0.1:8080/crm/v1/customers/cus_1'],
    ['https://gw.example.com', 'https://gw.example.com/crm/v1/customers/cus_1'],
    ['https://gw.example.com/', 'https://gw.example.com/crm/v1/customers/cus_1'],
    ['https://gw.example.com:8443/portico', 'https://gw.example.com:8443/portico/crm/v1/customers/cus_1'],
    ['https://gw.example.com/portico/', 'https://gw.example.com/portico/crm/v1/customers/cus_1'],
    ['https://gw.example.com/a/b//', 'https://gw.example.com/a/b/crm/v1/customers/cus_1'],
  ])('baseUrl %p → %s', async (baseUrl, expected) => {
    const fetch = fakeFetch([json(200, customer)]);
    await portico(fetch, baseUrl === undefined ? {} : { baseUrl }).crm.getCustomer({
      params: { path: { customerId: 'cus_1' } },
    });
    expect(fetch.requests[0]!.url.href).toBe(expected);
  });

  test('each API adds its own server path under the same base URL', async () => {
    const fetch = fakeFetch(() => json(200, {}));
    const client = portico(fetch, { baseUrl: 'https://gw.example.com/p' });
    await client.crm.GET('/customers/{customerId}', { params: { path: { customerId: 'cus_1' } } });
    await client.orders.getOrder({ params: { path: { orderId: 'ord_1' } } });
    await client.entitlements.getGrant({ params: { path: { grantId: 'grt_1' } } });
    expect(fetch.requests.map((r) => r.url.href)).toEqual([
      'https://gw.example.com/p/crm/v1/customers/cus_1',
      'https://gw.example.com/p/orders/v1/orders/ord_1',
      'https://gw.example.com/p/entitlements/v1/grants/grt_1',
    ]);
  });

  test.each([
    [undefined, 'http://127.0.0.1:3000/api/v1/me'],
    ['https://portal.example.com/admin/', 'https://portal.example.com/admin/api/v1/me'],
    // As the npm start banner prints the management API: the spec's server path is not added twice.
    ['http://127.0.0.1:3000/api/v1', 'http://127.0.0.1:3000/api/v1/me'],
    ['https://portal.example.com/admin/api/v1/', 'https://portal.example.com/admin/api/v1/me'],
  ])('the platform client with baseUrl %p → %s', async (baseUrl, expected) => {
    const fetch = fakeFetch([json(200, {})]);
    await createPlatform({ personalToken: 'ptp_abc', fetch, ...(baseUrl ? { baseUrl } : {}) }).getMe();
    expect(fetch.requests[0]!.url.href).toBe(expected);
  });

  test.each([
    ['a/b', 'a%2Fb'],
    ['a b', 'a%20b'],
    ['a?b#c', 'a%3Fb%23c'],
    ['50%', '50%25'],
    ['ä', '%C3%A4'],
    ['a+b&c=d', 'a%2Bb%26c%3Dd'],
    [42, '42'],
  ])('the path parameter %p is sent as one segment, %s', async (customerId, encoded) => {
    const fetch = fakeFetch([json(200, {})]);
    await portico(fetch).crm.getCustomer({ params: { path: { customerId: customerId as string } } });
    const { url } = fetch.requests[0]!;
    expect(url.pathname).toBe(`/crm/v1/customers/${encoded}`);
    expect(url.search).toBe('');
    expect(decodeURIComponent(url.pathname.split('/').at(-1)!)).toBe(String(customerId));
  });

  test('every path parameter of a nested path is filled in', async () => {
    const fetch = fakeFetch([json(200, {})]);
    await portico(fetch).entitlements.getRedemption({
      params: { path: { grantId: 'grt 1', redemptionId: 'red/2' } },
    });
    expect(fetch.requests[0]!.url.pathname).toBe('/entitlements/v1/grants/grt%201/redemptions/red%2F2');
  });

  test.each([undefined, null, ''])(
    'a missing path parameter (%p) throws TypeError, no request',
    async (value) => {
      const fetch = fakeFetch([]);
      const client = portico(fetch);
      await expect(
        client.crm.getCustomer({ params: { path: { customerId: value as unknown as string } } }),
      ).rejects.toThrow(new TypeError('getCustomer: the path parameter customerId is required'));
      await expect(client.crm.getCustomer({} as never)).rejects.toThrow(TypeError);
      expect(fetch.requests).toHaveLength(0);
    },
  );

  test.each(['.', '..'])(
    'a path parameter %p, which URL parsing would resolve away, throws TypeError',
    async (customerId) => {
      const fetch = fakeFetch([]);
      await expect(portico(fetch).crm.deleteCustomer({ params: { path: { customerId } } })).rejects.toThrow(
        TypeError,
      );
      expect(fetch.requests).toHaveLength(0);
    },
  );

  test('a path or method that is not an operation of the API throws TypeError', async () => {
    const fetch = fakeFetch([]);
    const { crm } = portico(fetch);
    await expect(crm.GET('/nope' as never)).rejects.toThrow(
      new TypeError('GET /nope is not an operation of this API'),
    );
    await expect(crm.PUT('/customers' as never)).rejects.toThrow(TypeError);
    await expect(crm.GET('/orders' as never)).rejects.toThrow(TypeError);
    expect(fetch.requests).toHaveLength(0);
  });

  test('query parameters: undefined and null skipped, arrays repeated, values encoded', async () => {
    const fetch = fakeFetch([json(200, { data: [], hasMore: false, nextCursor: null })]);
    await portico(fetch).crm.listCustomers({
      params: {
        query: {
          kind: 'organization',
          tag: undefined,
          lifecycleStage: null as never,
          limit: 10,
          q: 'a&b=c ü',
          ...({ ids: ['cus_1', 'cus_2'] } as object),
        },
      },
    });
    const { url } = fetch.requests[0]!;
    expect([...url.searchParams]).toEqual([
      ['kind', 'organization'],
      ['limit', '10'],
      ['q', 'a&b=c ü'],
      ['ids', 'cus_1'],
      ['ids', 'cus_2'],
    ]);
    expect(url.search).toBe('?kind=organization&limit=10&q=a%26b%3Dc+%C3%BC&ids=cus_1&ids=cus_2');
  });

  test('by path and by operationId the call is the same', async () => {
    const fetch = fakeFetch(() => json(200, { data: [], hasMore: false, nextCursor: null }));
    const { crm } = portico(fetch);
    await crm.GET('/customers', { params: { query: { limit: 5 } } });
    await crm.listCustomers({ params: { query: { limit: 5 } } });
    expect(fetch.requests.map((r) => `${r.method} ${r.url.href}`)).toEqual([
      'GET http://127.0.0.1:8080/crm/v1/customers?limit=5',
      'GET http://127.0.0.1:8080/crm/v1/customers?limit=5',
    ]);
  });
});

describe('body', () => {
  test('the JSON bytes are sent exactly, as application/json', async () => {
    const fetch = fakeFetch([json(201, customer)]);
    const body = { kind: 'organization' as const, name: 'Clinique «Soleil» 日本', tags: ['a', 'b'] };
    const { data } = await portico(fetch).crm.createCustomer({ body });
    expect(data).toEqual(customer);
    const request = fetch.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.body).toEqual(new TextEncoder().encode(JSON.stringify(body)));
    expect(request.text).toBe(JSON.stringify(body));
  });

  test.each([
    [
      'a GET',
      (c: ReturnType<typeof portico>) => c.crm.getCustomer({ params: { path: { customerId: 'x' } } }),
    ],
    [
      'a DELETE',
      (c: ReturnType<typeof portico>) => c.crm.deleteCustomer({ params: { path: { customerId: 'x' } } }),
    ],
    [
      'a POST without its optional body',
      (c: ReturnType<typeof portico>) =>
        c.entitlements.suspendGrant({ params: { path: { grantId: 'grt_1' } } }),
    ],
  ])('%s without a body sends no body and no content-type', async (_, send) => {
    const fetch = fakeFetch([json(200, {})]);
    await send(portico(fetch));
    expect(fetch.requests[0]!.body).toBeUndefined();
    expect(fetch.requests[0]!.headers.has('content-type')).toBe(false);
  });

  test('a 204 answer is data undefined, not an error', async () => {
    const fetch = fakeFetch([new Response(null, { status: 204 })]);
    const result = await portico(fetch).crm.deleteCustomer({ params: { path: { customerId: 'cus_1' } } });
    expect(result.error).toBeUndefined();
    expect(result.data).toBeUndefined();
    expect(result.response?.status).toBe(204);
  });
});

describe('Idempotency-Key', () => {
  const newCustomer = { kind: 'person' as const, name: 'Li Wei' };

  test.each(['Idempotency-Key', 'idempotency-key'])(
    'a key given as a plain %s header is the call’s key, kept on every retry',
    async (name) => {
      const fetch = fakeFetch([problem(503, 'unavailable'), json(201, customer)]);
      await portico(fetch).crm.createCustomer({ body: newCustomer, headers: { [name]: 'job-17-import' } });
      expect(fetch.requests.map((r) => r.headers.get('idempotency-key'))).toEqual([
        'job-17-import',
        'job-17-import',
      ]);
    },
  );

  test('an operation that takes one gets a UUID, the same on every retry', async () => {
    const fetch = fakeFetch([
      problem(503, 'unavailable'),
      new TypeError('fetch failed'),
      json(201, customer),
    ]);
    const result = await portico(fetch).crm.createCustomer({ body: newCustomer });
    expect(result.data).toEqual(customer);
    const keys = fetch.requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
  });

  test('each call gets its own key', async () => {
    const fetch = fakeFetch(() => json(201, customer));
    const { crm, orders } = portico(fetch);
    await crm.createCustomer({ body: newCustomer });
    await crm.createCustomer({ body: newCustomer });
    await orders.createOrder({ body: { customerId: 'cus_1', currency: 'CNY', items: [] } as never });
    const keys = fetch.requests.map((r) => r.headers.get('idempotency-key')!);
    keys.forEach((key) => expect(key).toMatch(UUID));
    expect(new Set(keys).size).toBe(3);
  });

  test.each([
    ['idempotencyKey', { idempotencyKey: 'job-42' }],
    ['params.header', { params: { header: { 'Idempotency-Key': 'job-42' } } }],
    [
      'both (the option wins)',
      { idempotencyKey: 'job-42', params: { header: { 'Idempotency-Key': 'other' } } },
    ],
  ])("the caller's key given as %s is sent on every attempt", async (_, init) => {
    const fetch = fakeFetch([problem(502, 'bad_gateway'), json(201, customer)]);
    await portico(fetch).crm.createCustomer({ body: newCustomer, ...init });
    expect(fetch.requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['job-42', 'job-42']);
  });

  test.each([
    [
      'a GET',
      (c: ReturnType<typeof portico>) => c.crm.getCustomer({ params: { path: { customerId: 'x' } } }),
    ],
    [
      'a state transition POST',
      (c: ReturnType<typeof portico>) =>
        c.entitlements.suspendGrant({ params: { path: { grantId: 'grt_1' } }, body: { reason: 'lost' } }),
    ],
    [
      'a PATCH',
      (c: ReturnType<typeof portico>) =>
        c.crm.updateCustomer({ params: { path: { customerId: 'x' } }, body: { name: 'n' } }),
    ],
  ])('%s that does not take one is sent without', async (_, send) => {
    const fetch = fakeFetch([json(200, {})]);
    await send(portico(fetch));
    expect(fetch.requests[0]!.headers.has('idempotency-key')).toBe(false);
  });

  test('passing a key to an operation that does not take one throws TypeError, no request', async () => {
    const fetch = fakeFetch([]);
    const { crm, entitlements } = portico(fetch);
    // The types refuse these too; the casts stand for JavaScript callers and widened values.
    await expect(
      entitlements.suspendGrant({ params: { path: { grantId: 'grt_1' } }, idempotencyKey: 'k' as never }),
    ).rejects.toThrow(new TypeError('suspendGrant does not take an Idempotency-Key'));
    await expect(
      crm.getCustomer({
        params: { path: { customerId: 'x' }, header: { 'Idempotency-Key': 'k' } } as never,
      }),
    ).rejects.toThrow(TypeError);
    expect(fetch.requests).toHaveLength(0);
  });
});

describe('paginate', () => {
  const pages = () => [
    page([{ id: 'cus_1' }, { id: 'cus_2' }], 'c1'),
    page([{ id: 'cus_3' }], 'c2'),
    page([{ id: 'cus_4' }], null),
  ];

  test.each(['/customers', 'listCustomers'] as const)(
    'by %s walks every page via nextCursor, with the other query parameters on each',
    async (target) => {
      const fetch = fakeFetch(pages());
      const ids: string[] = [];
      for await (const item of portico(fetch).crm.paginate(target, {
        params: { query: { kind: 'organization', limit: 2 } },
      })) {
        ids.push(item.id);
      }
      expect(ids).toEqual(['cus_1', 'cus_2', 'cus_3', 'cus_4']);
      expect(fetch.requests.map((r) => r.url.search)).toEqual([
        '?kind=organization&limit=2',
        '?kind=organization&limit=2&cursor=c1',
        '?kind=organization&limit=2&cursor=c2',
      ]);
    },
  );

  test('stops when hasMore is false even if a cursor is given', async () => {
    const fetch = fakeFetch([json(200, { data: [{ id: 'a' }], hasMore: false, nextCursor: 'c9' })]);
    const items = [];
    for await (const item of portico(fetch).crm.paginate('listLeads')) items.push(item);
    expect(items).toEqual([{ id: 'a' }]);
    expect(fetch.requests).toHaveLength(1);
  });

  test('a nested list keeps its path parameters and starts at the caller’s cursor', async () => {
    const fetch = fakeFetch([page([{ id: 'con_1' }], 'c2'), page([], null)]);
    const items = [];
    for await (const item of portico(fetch).crm.paginate('/customers/{customerId}/contacts', {
      params: { path: { customerId: 'cus 1' }, query: { cursor: 'c1' } },
    })) {
      items.push(item);
    }
    expect(items).toEqual([{ id: 'con_1' }]);
    expect(fetch.requests.map((r) => `${r.url.pathname}${r.url.search}`)).toEqual([
      '/crm/v1/customers/cus%201/contacts?cursor=c1',
      '/crm/v1/customers/cus%201/contacts?cursor=c2',
    ]);
  });

  test('breaking out of the loop fetches no further page', async () => {
    const fetch = fakeFetch(pages());
    for await (const item of portico(fetch).crm.paginate('listCustomers')) {
      if (item.id === 'cus_1') break;
    }
    expect(fetch.requests).toHaveLength(1);
  });

  test('a failed page throws its ProblemError after the items before it', async () => {
    const fetch = fakeFetch([
      page([{ id: 'cus_1' }], 'c1'),
      problem(404, 'not_found', { 'x-request-id': 'req_9' }),
    ]);
    const ids: string[] = [];
    const walk = async () => {
      for await (const item of portico(fetch).crm.paginate('listCustomers')) ids.push(item.id);
    };
    const error = await walk().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req_9', attempts: 1 });
    expect(ids).toEqual(['cus_1']);
  });

  test.each([
    ['no nextCursor', { data: [{ id: 'a' }], hasMore: true }],
    ['a null nextCursor', { data: [{ id: 'a' }], hasMore: true, nextCursor: null }],
    ['the cursor it was asked for', { data: [{ id: 'a' }], hasMore: true, nextCursor: 'c1' }],
  ])('a page with hasMore and %s throws instead of fetching for ever', async (_, body) => {
    const fetch = fakeFetch(() => json(200, body));
    const ids: string[] = [];
    const walk = async () => {
      for await (const item of portico(fetch).crm.paginate('listCustomers', {
        params: { query: { cursor: 'c1' } },
      }))
        ids.push(item.id);
    };
    await expect(walk()).rejects.toThrow(/listCustomers: the API answered hasMore without a new nextCursor/);
    expect(ids).toEqual(['a']);
    expect(fetch.requests).toHaveLength(1);
  });

  test('a target that is not a paginated list throws TypeError on iteration', async () => {
    const fetch = fakeFetch([]);
    const walk = portico(fetch).crm.paginate('getCustomer' as never);
    await expect(walk.next()).rejects.toThrow(new TypeError('getCustomer is not a cursor-paginated list'));
    expect(fetch.requests).toHaveLength(0);
  });
});
