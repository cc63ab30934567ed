// The transport through an injected fetch: which failures are retried and how often, Retry-After, the call's time
// budget, the caller's AbortSignal, and every outcome as a value (ProblemError, ConnectionError, TimeoutError).
import { getEventListeners } from 'node:events';
import { ConnectionError, PorticoError, ProblemError, TimeoutError } from './errors';
import { createPortico, type ClientOptions } from './portico';
import { DEFAULT_RETRY } from './retry-policy';
import {
  connectionError,
  fakeFetch,
  HANG,
  json,
  problem,
  type FakeFetch,
  type Reply,
} from './testing/fake-fetch';
import { createTransport } from './transport';
import { unwrap } from './unwrap';

/** Client options beside the credential (the credential is each test's own). */
type ClientSettings = Partial<ClientOptions> & { baseUrl?: string; apiKey?: string };

function portico(fetch: FakeFetch, options: ClientSettings = {}) {
  return createPortico({ apiKey: 'ptc_test_abc123', fetch, retry: { baseDelayMs: 1 }, ...options });
}

const getCustomer = (client: ReturnType<typeof portico>, init: object = {}) =>
  client.crm.getCustomer({ params: { path: { customerId: 'cus_1' } }, ...init });

const customer = { id: 'cus_1', name: 'Sunrise Family Clinic' };

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retries', () => {
  test.each<[string, () => Reply]>([
    ['a connection error', () => connectionError()],
    ['408', () => problem(408, 'request_timeout')],
    ['429', () => problem(429, 'rate_limited')],
    ['500', () => problem(500, 'internal_error')],
    ['502', () => problem(502, 'bad_gateway')],
    ['503', () => problem(503, 'unavailable')],
    ['504', () => problem(504, 'upstream_timeout')],
  ])('a GET is retried after %s', async (_, failure) => {
    const fetch = fakeFetch([failure(), json(200, customer)]);
    const result = await getCustomer(portico(fetch));
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(customer);
    expect(fetch.requests).toHaveLength(2);
  });

  test.each([400, 401, 403, 404, 409, 410, 422, 501])('a GET answered %i is not retried', async (status) => {
    const fetch = fakeFetch([problem(status, 'some_problem'), json(200, customer)]);
    const { error } = await getCustomer(portico(fetch));
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(status);
    expect(error!.attempts).toBe(1);
    expect(fetch.requests).toHaveLength(1);
  });

  test.each<[string, () => Reply]>([
    ['a connection error', () => connectionError()],
    ['503', () => problem(503, 'unavailable')],
    ['429', () => problem(429, 'rate_limited', { 'retry-after': '0' })],
  ])('a POST or PATCH without an Idempotency-Key is never retried after %s', async (_, failure) => {
    const fetch = fakeFetch(() => failure());
    const { entitlements, crm } = portico(fetch);
    const transition = await entitlements.suspendGrant({ params: { path: { grantId: 'grt_1' } } });
    const update = await crm.updateCustomer({
      params: { path: { customerId: 'cus_1' } },
      body: { name: 'n' },
    });
    expect(transition.error?.attempts).toBe(1);
    expect(update.error?.attempts).toBe(1);
    expect(fetch.requests.map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  test('a POST with an Idempotency-Key is retried after a connection error and a 503', async () => {
    const fetch = fakeFetch([connectionError(), problem(503, 'unavailable'), json(201, customer)]);
    const result = await portico(fetch).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
    expect(result.data).toEqual(customer);
    expect(fetch.requests).toHaveLength(3);
  });

  test.each<[string, ClientSettings, object, number]>([
    ['the default (2 retries)', {}, {}, 3],
    ['the client’s maxRetries', { retry: { maxRetries: 4, baseDelayMs: 1 } }, {}, 5],
    ['the client’s maxRetries 0', { retry: { maxRetries: 0 } }, {}, 1],
    ['the call’s maxRetries', {}, { retry: { maxRetries: 1 } }, 2],
    ['the call’s retry: false', { retry: { maxRetries: 4, baseDelayMs: 1 } }, { retry: false }, 1],
    ['a call’s retry with undefined fields (the defaults stay)', {}, { retry: { maxRetries: undefined } }, 3],
    ['a client’s retry with undefined fields', { retry: { maxRetries: undefined, baseDelayMs: 1 } }, {}, 3],
  ])('%s bounds the attempts', async (_, options, init, attempts) => {
    const fetch = fakeFetch(() => problem(503, 'unavailable'));
    const { error } = await getCustomer(portico(fetch, { timeoutMs: 5_000, ...options }), init);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error!.attempts).toBe(attempts);
    expect(fetch.requests).toHaveLength(attempts);
  });

  test('connection errors are bounded the same way and the last one is returned', async () => {
    const failures = [connectionError(), connectionError(), connectionError('ECONNREFUSED')];
    const fetch = fakeFetch([...failures, json(200, customer)]);
    const { error } = await getCustomer(portico(fetch));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error!.cause).toBe(failures[2]);
    expect(error!.attempts).toBe(3);
    expect(fetch.requests).toHaveLength(3);
  });

  test('Retry-After in seconds is waited for', async () => {
    const fetch = fakeFetch([problem(503, 'unavailable', { 'retry-after': '1' }), json(200, customer)]);
    const result = await getCustomer(portico(fetch));
    expect(result.data).toEqual(customer);
    const [first, second] = fetch.requests;
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
  });

  test('Retry-After as an HTTP-date in the past is retried', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    const fetch = fakeFetch([problem(429, 'rate_limited', { 'retry-after': past }), json(200, customer)]);
    expect((await getCustomer(portico(fetch))).data).toEqual(customer);
    expect(fetch.requests).toHaveLength(2);
  });

  test.each<[string, () => string, ClientSettings]>([
    ['seconds', () => '9', {}],
    ['seconds over a lowered maxDelayMs', () => '1', { retry: { maxDelayMs: 500 } }],
    ['an HTTP-date', () => new Date(Date.now() + 3_600_000).toUTCString(), {}],
  ])(
    'Retry-After (%s) longer than maxDelayMs is not waited for: the error carries it',
    async (_, retryAfter, options) => {
      const value = retryAfter();
      const fetch = fakeFetch([problem(429, 'rate_limited', { 'retry-after': value }), json(200, customer)]);
      const { error } = await getCustomer(portico(fetch, options));
      expect(fetch.requests).toHaveLength(1);
      const seconds = /^\d+$/.test(value) ? Number(value) : 3_600;
      expect((error as ProblemError).retryAfterSeconds).toBeGreaterThanOrEqual(seconds - 1);
      expect((error as ProblemError).retryAfterSeconds).toBeLessThanOrEqual(seconds);
    },
  );

  test('a wait that would outlast the call’s budget is not started: the answer at hand is returned', async () => {
    const fetch = fakeFetch([problem(503, 'unavailable', { 'retry-after': '2' }), json(200, customer)]);
    const { error } = await getCustomer(portico(fetch, { timeoutMs: 1_000 }));
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).retryAfterSeconds).toBe(2);
    expect(fetch.requests).toHaveLength(1);
  });

  test('a 409 with Retry-After on a keyed POST (still in flight) is retried with the same key', async () => {
    const fetch = fakeFetch([
      problem(409, 'idempotency_in_flight', { 'retry-after': '0' }),
      json(201, customer, { 'idempotent-replayed': 'true' }),
    ]);
    const result = await portico(fetch).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
    expect(result.data).toEqual(customer);
    const keys = fetch.requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys).toEqual([keys[0], keys[0]]);
  });

  test.each([500, 502, 504, 408])(
    'a replayed %i (the first answer kept for the key) is not retried: asking again gets it again',
    async (status) => {
      const fetch = fakeFetch([
        problem(status, 'gateway_timeout', { 'idempotent-replayed': 'true' }),
        json(201, customer),
      ]);
      const { error } = await portico(fetch).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(fetch.requests).toHaveLength(1);
    },
  );

  test('a keyed call’s errors carry its Idempotency-Key, to try again later without acting twice', async () => {
    const fetch = fakeFetch([connectionError(), connectionError(), connectionError()]);
    const { error } = await portico(fetch).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error!.idempotencyKey).toBe(fetch.requests[0]!.headers.get('idempotency-key'));
    expect(error!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const plain = await getCustomer(portico(fakeFetch([problem(404, 'not_found')])));
    expect(plain.error!.idempotencyKey).toBeUndefined();
  });

  test.each<[string, Record<string, string>]>([
    ['a replayed 409', { 'retry-after': '0', 'idempotent-replayed': 'true' }],
    ['a 409 without Retry-After (a business conflict)', {}],
  ])('%s is not retried', async (_, headers) => {
    const fetch = fakeFetch([problem(409, 'conflict', headers), json(201, customer)]);
    const { error } = await portico(fetch).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
    expect((error as ProblemError).status).toBe(409);
    expect(fetch.requests).toHaveLength(1);
  });
});

describe('time budget', () => {
  test('the call’s timeoutMs ends a hanging fetch with a TimeoutError value', async () => {
    const fetch = fakeFetch([HANG]);
    const result = await getCustomer(portico(fetch), { timeoutMs: 50 });
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error).toMatchObject({ kind: 'timeout', timeoutMs: 50, attempts: 1 });
    expect(result.response).toBeUndefined();
    expect(fetch.requests[0]!.signal!.aborted).toBe(true);
  });

  test('the client’s timeoutMs is the default budget', async () => {
    const fetch = fakeFetch([HANG]);
    const started = Date.now();
    const { error } = await getCustomer(portico(fetch, { timeoutMs: 80 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(80);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  test('the budget covers retries: a hang after a 503 times out with both attempts counted', async () => {
    const fetch = fakeFetch([problem(503, 'unavailable'), HANG]);
    const result = await getCustomer(portico(fetch), { timeoutMs: 100 });
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error!.attempts).toBe(2);
    expect(result.response?.status).toBe(503);
  });

  test('a fetch that ignores its signal cannot outlive the budget', async () => {
    const deaf = Object.assign(() => new Promise<Response>(() => undefined), { requests: [] }) as never;
    const result = await getCustomer(portico(deaf), { timeoutMs: 50 });
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error).toMatchObject({ timeoutMs: 50, attempts: 1 });
  });

  test.each([Infinity, 3_000_000_000])(
    'a call timeoutMs of %p (past setTimeout’s limit) rejects with TypeError',
    async (timeoutMs) => {
      const fetch = fakeFetch([json(200, customer)]);
      await expect(getCustomer(portico(fetch), { timeoutMs })).rejects.toThrow(
        /timeoutMs must be > 0 and at most/,
      );
      expect(fetch.requests).toHaveLength(0);
    },
  );

  test.each([0, -1, Number.NaN, Infinity, 2 ** 31])('a client timeoutMs of %p is refused', (timeoutMs) => {
    expect(() => portico(fakeFetch([]), { timeoutMs })).toThrow(TypeError);
  });
});

describe('cancellation', () => {
  test('aborting mid-fetch rejects with the signal’s reason and makes no further attempt', async () => {
    const fetch = fakeFetch([HANG, json(200, customer)]);
    const controller = new AbortController();
    const reason = new Error('user left the page');
    const call = getCustomer(portico(fetch), { signal: controller.signal });
    await fetch.waitForRequests(1);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    await after(20);
    expect(fetch.requests).toHaveLength(1);
  });

  test('aborting a call that would not be retried rejects too (not a ConnectionError value)', async () => {
    const fetch = fakeFetch([HANG]);
    const controller = new AbortController();
    const reason = new Error('user left the page');
    const call = portico(fetch).entitlements.suspendGrant({
      params: { path: { grantId: 'grt_1' } },
      signal: controller.signal,
    });
    await fetch.waitForRequests(1);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  test('aborting during the backoff rejects with the reason and makes no further attempt', async () => {
    // A one-minute Retry-After within the limits: were the wait not cut short, the test would time out.
    const fetch = fakeFetch([problem(503, 'unavailable', { 'retry-after': '60' }), json(200, customer)]);
    const controller = new AbortController();
    const client = portico(fetch, { retry: { maxDelayMs: 120_000 }, timeoutMs: 300_000 });
    const call = getCustomer(client, { signal: controller.signal });
    await fetch.waitForRequests(1);
    await after(30);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(fetch.requests).toHaveLength(1);
  });

  test('an already-aborted signal makes no attempt', async () => {
    const fetch = fakeFetch([json(200, customer)]);
    const reason = new Error('cancelled before start');
    await expect(getCustomer(portico(fetch), { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fetch.requests).toHaveLength(0);
  });

  test('a finished call leaves nothing on the caller’s signal (one long-lived signal for many calls)', async () => {
    const fetch = fakeFetch(() => json(200, customer));
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await getCustomer(portico(fetch), { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // The fetch's own signal was not aborted by the end of the call.
    expect(fetch.requests.every((r) => r.signal && !r.signal.aborted)).toBe(true);
  });

  test('a finished call clears its budget timer', async () => {
    const fetch = fakeFetch(() => json(200, customer));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    for (let i = 0; i < 20; i++) await getCustomer(portico(fetch), { timeoutMs: 60_000 });
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after - before).toBeLessThan(5);
  });
});

describe('errors as values', () => {
  const document = {
    type: 'https://portico.dev/problems/not_found',
    title: 'Not found',
    status: 404,
    detail: 'No customer cus_1.',
    code: 'not_found',
  };

  test('a problem+json answer is a ProblemError with the document, its code and the request id', async () => {
    const fetch = fakeFetch([
      new Response(JSON.stringify(document), {
        status: 404,
        headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req_header' },
      }),
    ]);
    const result = await getCustomer(portico(fetch));
    expect(result.data).toBeUndefined();
    expect(result.response?.status).toBe(404);
    const error = result.error as ProblemError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toBeInstanceOf(PorticoError);
    expect(error).toMatchObject({
      name: 'ProblemError',
      kind: 'problem',
      status: 404,
      problem: document,
      code: 'not_found',
      requestId: 'req_header',
      attempts: 1,
      body: undefined,
      retryAfterSeconds: undefined,
      message: '404 not_found: No customer cus_1.',
    });
  });

  test('the problem’s own requestId wins over the header', async () => {
    const fetch = fakeFetch([
      problem(404, 'not_found', { 'x-request-id': 'req_header' }, { requestId: 'req_doc' }),
    ]);
    const { error } = await getCustomer(portico(fetch));
    expect(error!.requestId).toBe('req_doc');
  });

  test('the attempts of a retried failure are counted', async () => {
    const fetch = fakeFetch(() => problem(500, 'internal_error'));
    const { error } = await getCustomer(portico(fetch));
    expect(error).toMatchObject({ status: 500, attempts: 3 });
  });

  test.each<[string, () => Response]>([
    [
      'an HTML 502 from a proxy',
      () => new Response('<h1>Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
    ],
    ['a JSON body that is not a problem', () => json(400, { message: 'nope' })],
    [
      'problem+json without a numeric status',
      () =>
        new Response('{"title":"x"}', {
          status: 400,
          headers: { 'content-type': 'application/problem+json' },
        }),
    ],
    [
      'a problem+json body that is not JSON',
      () =>
        new Response('not json', { status: 500, headers: { 'content-type': 'application/problem+json' } }),
    ],
  ])('%s is a ProblemError with problem undefined and the body as text', async (_, answer) => {
    const response = answer();
    const body = await response.clone().text();
    const fetch = fakeFetch([response]);
    const { error } = await getCustomer(portico(fetch), { retry: false });
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: response.status, problem: undefined, code: undefined, body });
  });

  test('a lost connection is a ConnectionError whose cause is the fetch error', async () => {
    const lost = connectionError('ECONNREFUSED');
    const fetch = fakeFetch([lost]);
    const { error, response } = await getCustomer(portico(fetch), { retry: false });
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ kind: 'connection', attempts: 1 });
    expect(error!.cause).toBe(lost);
    expect(error!.message).toBe(
      'The API could not be reached: fetch failed (ECONNREFUSED: other side closed)',
    );
    expect(response).toBeUndefined();
  });

  test('unwrap returns the data, or throws the very error the result carried', async () => {
    const fetch = fakeFetch([json(200, customer), problem(404, 'not_found'), problem(404, 'not_found')]);
    const client = portico(fetch);
    await expect(unwrap(getCustomer(client))).resolves.toEqual(customer);
    const result = await getCustomer(client);
    await expect(unwrap(result)).rejects.toBe(result.error);
    await expect(unwrap(getCustomer(client))).rejects.toBeInstanceOf(ProblemError);
  });
});

describe('headers', () => {
  test('the client’s and the call’s headers are sent on every attempt', async () => {
    const fetch = fakeFetch([problem(503, 'unavailable'), json(200, customer)]);
    await getCustomer(portico(fetch, { headers: { 'x-tenant': 't1' } }), { headers: { 'x-trace': 'abc' } });
    for (const request of fetch.requests) {
      expect(request.headers.get('x-tenant')).toBe('t1');
      expect(request.headers.get('x-trace')).toBe('abc');
      expect(request.headers.get('accept')).toBe('application/json, application/problem+json');
    }
  });

  test('a header value that is not valid rejects with TypeError before any attempt', async () => {
    const fetch = fakeFetch([json(200, customer)]);
    // undici's TypeError comes from another realm than the test's: compare by name.
    await expect(getCustomer(portico(fetch), { headers: { 'x-trace': 'a\nb' } })).rejects.toMatchObject({
      name: 'TypeError',
    });
    expect(fetch.requests).toHaveLength(0);
  });

  test('redirects are not followed: a 3xx is an answer, not a new request carrying the credential', async () => {
    const fetch = fakeFetch([
      new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
    ]);
    const transport = createTransport({ fetch, timeoutMs: 1_000, retry: DEFAULT_RETRY, headers: {} });
    const result = await transport.send({ method: 'GET', url: new URL('https://api.example.com/x') });
    expect((result.error as ProblemError).status).toBe(302);
    expect(fetch.requests.map((r) => r.redirect)).toEqual(['manual']);
  });
});
