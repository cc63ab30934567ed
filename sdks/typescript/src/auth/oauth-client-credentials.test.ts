// OAuth client credentials through createPortico and an injected fetch that plays both the token endpoint and the
// API: the token request (RFC 6749 §4.4, §2.3.1), one request for many calls, refresh before expiry, the 401
// answered by one refresh, and the token endpoint's refusals as OAuthError values.
import { OAuthError, ProblemError } from '../errors';
import { createPortico, type ClientOptions } from '../portico';
import { fakeFetch, HANG, json, problem, type Reply, type RecordedRequest } from '../testing/fake-fetch';

import type { OAuthClientCredentials } from './oauth-client-credentials';
/** Client options beside the credential (the credential is each test's own). */
type ClientSettings = Partial<ClientOptions> & { baseUrl?: string };

const CREDENTIALS = { clientId: 'cli_01ABC', clientSecret: 'pcs_test_secret' };
const customer = { id: 'cus_1' };
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  fetch: ReturnType<typeof fakeFetch>;
  tokenRequests: () => RecordedRequest[];
  apiRequests: () => RecordedRequest[];
  /** The bearer token of each API request. */
  bearers: () => Array<string | null>;
}

const isTokenRequest = (request: RecordedRequest) => request.text?.startsWith('grant_type=') ?? false;

/**
 * The token endpoint issues tok_1, tok_2, … valid for `expiresIn` seconds, unless `token` answers otherwise; the
 * API answers `api` (200 with a customer by default).
 */
function server(
  options: {
    expiresIn?: number;
    token?: (request: RecordedRequest, index: number) => Reply | undefined;
    api?: (request: RecordedRequest, index: number) => Reply;
  } = {},
): Server {
  let issued = 0;
  let tokenIndex = 0;
  let apiIndex = 0;
  const fetch = fakeFetch((request) => {
    if (isTokenRequest(request)) {
      const answer = options.token?.(request, tokenIndex++);
      if (answer !== undefined) return answer;
      issued += 1;
      return json(200, {
        access_token: `tok_${issued}`,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 3600,
      });
    }
    return options.api?.(request, apiIndex++) ?? json(200, customer);
  });
  const tokenRequests = () => fetch.requests.filter(isTokenRequest);
  const apiRequests = () => fetch.requests.filter((r) => !isTokenRequest(r));
  return {
    fetch,
    tokenRequests,
    apiRequests,
    bearers: () => apiRequests().map((r) => r.headers.get('authorization')),
  };
}

function portico(s: Server, oauth: Partial<OAuthClientCredentials> = {}, options: ClientSettings = {}) {
  return createPortico({
    oauth: { ...CREDENTIALS, ...oauth },
    fetch: s.fetch,
    retry: { baseDelayMs: 1 },
    ...options,
  });
}

const getCustomer = (client: ReturnType<typeof portico>, init: object = {}) =>
  client.crm.getCustomer({ params: { path: { customerId: 'cus_1' } }, ...init });

describe('the token request', () => {
  test('POSTs grant_type=client_credentials with the scopes, the client in Basic auth', async () => {
    const s = server();
    const result = await getCustomer(portico(s, { scopes: ['crm:read', 'orders:write'] }));
    expect(result.data).toEqual(customer);
    const [token] = s.tokenRequests();
    expect(s.tokenRequests()).toHaveLength(1);
    expect(token!.method).toBe('POST');
    expect(token!.url.href).toBe('http://127.0.0.1:8080/oauth/token');
    expect(token!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(token!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('cli_01ABC:pcs_test_secret').toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(token!.text))).toEqual({
      grant_type: 'client_credentials',
      scope: 'crm:read orders:write',
    });
    expect(s.bearers()).toEqual(['Bearer tok_1']);
    expect(s.apiRequests()[0]!.headers.has('x-api-key')).toBe(false);
  });

  test('without scopes there is no scope parameter', async () => {
    const s = server();
    await getCustomer(portico(s));
    expect(s.tokenRequests()[0]!.text).toBe('grant_type=client_credentials');
  });

  test('RFC 6749 §2.3.1: id and secret are form-encoded before Basic', async () => {
    const s = server();
    await getCustomer(portico(s, { clientId: 'cli:1', clientSecret: 'a b:c+ü/%&=' }));
    const basic = s.tokenRequests()[0]!.headers.get('authorization')!;
    const decoded = Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(decoded).toBe('cli%3A1:a+b%3Ac%2B%C3%BC%2F%25%26%3D');
    const [id, secret] = decoded.split(':').map((part) => new URLSearchParams(`v=${part}`).get('v'));
    expect([id, secret]).toEqual(['cli:1', 'a b:c+ü/%&=']);
  });

  test.each<[string, Partial<OAuthClientCredentials>, ClientSettings, string]>([
    [
      'the base URL’s origin',
      {},
      { baseUrl: 'https://gw.example.com' },
      'https://gw.example.com/oauth/token',
    ],
    ['the base URL’s path', {}, { baseUrl: 'https://x.example/gw/' }, 'https://x.example/gw/oauth/token'],
    ['tokenUrl', { tokenUrl: 'https://auth.example/t' }, {}, 'https://auth.example/t'],
  ])('goes to %s', async (_, oauth, options, expected) => {
    const s = server();
    await getCustomer(portico(s, oauth, options));
    expect(s.tokenRequests()[0]!.url.href).toBe(expected);
  });

  test('a token endpoint 503 or lost connection is retried like any safe request', async () => {
    const s = server({
      token: (_, index) =>
        index === 0 ? problem(503, 'unavailable') : index === 1 ? new TypeError('fetch failed') : undefined,
    });
    const result = await getCustomer(portico(s));
    expect(result.data).toEqual(customer);
    expect(s.tokenRequests()).toHaveLength(3);
    expect(s.bearers()).toEqual(['Bearer tok_1']);
  });
});

describe('the cached token', () => {
  test('many concurrent calls share one token request', async () => {
    const s = server({
      token: () => async () => {
        await after(20);
        return json(200, { access_token: 'tok_slow', token_type: 'bearer', expires_in: 3600 });
      },
    });
    const client = portico(s);
    const results = await Promise.all(Array.from({ length: 8 }, () => getCustomer(client)));
    expect(results.every((r) => r.data !== undefined)).toBe(true);
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.bearers()).toEqual(Array(8).fill('Bearer tok_slow'));
  });

  test('is reused by later calls of any API while it is fresh', async () => {
    const s = server();
    const client = portico(s);
    await getCustomer(client);
    await client.orders.getOrder({ params: { path: { orderId: 'ord_1' } } });
    await client.entitlements.listGrants();
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.bearers()).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_1']);
  });

  test('a short-lived token is refreshed once half its lifetime has passed', async () => {
    const s = server({ expiresIn: 1 });
    const client = portico(s);
    await getCustomer(client);
    await after(550);
    await getCustomer(client);
    expect(s.tokenRequests()).toHaveLength(2);
    expect(s.bearers()).toEqual(['Bearer tok_1', 'Bearer tok_2']);
  });

  test.each<[string, Record<string, unknown>, number]>([
    // RFC 6749 §5.1: expires_in is only RECOMMENDED; without it the SDK assumes 300 s.
    ['no expires_in', {}, 300],
    ['a numeric string', { expires_in: '3600' }, 3600],
  ])('a token with %s lives as long as it says (or 300 s)', async (_, extra, lifetime) => {
    let clock = Date.parse('2026-11-25T08:00:00Z');
    let issued = 0;
    const fetch = fakeFetch((request) =>
      isTokenRequest(request)
        ? json(200, { access_token: `tok_${++issued}`, token_type: 'Bearer', ...extra })
        : json(200, customer),
    );
    const client = createPortico({ oauth: CREDENTIALS, fetch, now: () => clock });
    await getCustomer(client);
    clock += (lifetime - Math.min(60, lifetime / 2)) * 1000 - 1000; // just before the refresh point
    await getCustomer(client);
    clock += 2000; // just after it
    await getCustomer(client);
    expect(
      fetch.requests.filter((r) => !isTokenRequest(r)).map((r) => r.headers.get('authorization')),
    ).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_2']);
  });

  test('client-wide headers go to a token endpoint on the gateway’s origin, not to one elsewhere', async () => {
    const fetch = fakeFetch((request) =>
      isTokenRequest(request)
        ? json(200, { access_token: 'tok', token_type: 'Bearer', expires_in: 3600 })
        : json(200, customer),
    );
    const headers = { 'x-tenant-secret': 's3cret' };
    await getCustomer(createPortico({ oauth: CREDENTIALS, fetch, headers }));
    await getCustomer(
      createPortico({
        oauth: { ...CREDENTIALS, tokenUrl: 'https://auth.example.com/token' },
        fetch,
        headers,
      }),
    );
    const tokenRequests = fetch.requests.filter(isTokenRequest);
    expect(tokenRequests.map((r) => [r.url.origin, r.headers.get('x-tenant-secret')])).toEqual([
      ['http://127.0.0.1:8080', 's3cret'],
      ['https://auth.example.com', null],
    ]);
    expect(
      fetch.requests.filter((r) => !isTokenRequest(r)).every((r) => r.headers.get('x-tenant-secret')),
    ).toBe(true);
  });

  test('a long-lived token is refreshed 60 s before it expires (the client clock is `now`)', async () => {
    const s = server({ expiresIn: 3600 });
    let clock = Date.parse('2026-11-25T08:00:00Z');
    const client = portico(s, {}, { now: () => clock });
    await getCustomer(client);
    clock += 3_539_000; // 61 s before expiry: still fresh
    await getCustomer(client);
    clock += 2_000; // 59 s before expiry: inside the margin
    await getCustomer(client);
    expect(s.bearers()).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_2']);
  });

  test('a refresh that fails while the token is still valid keeps using it, and is tried again', async () => {
    // 3 s of life: the refresh point is 1.5 s in, and the token stays valid for 1.5 s after it.
    const s = server({
      expiresIn: 3,
      token: (_, index) =>
        index === 1
          ? json(400, { error: 'invalid_request', error_description: 'try later' })
          : index >= 2 && index <= 4
            ? problem(500, 'internal_error')
            : undefined,
    });
    const client = portico(s);
    await getCustomer(client);
    await after(1_550);
    const first = await getCustomer(client);
    expect(first.data).toEqual(customer);
    await expect(client.accessToken()).resolves.toBe('tok_1');
    const third = await getCustomer(client);
    expect(third.data).toEqual(customer);
    // Issued, refused (400), failed (500 on all 3 attempts), issued.
    expect(s.tokenRequests()).toHaveLength(6);
    expect(s.bearers()).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_2']);
  });

  test('accessToken() gives the token, fetched once', async () => {
    const s = server();
    const client = portico(s);
    await expect(client.accessToken()).resolves.toBe('tok_1');
    await expect(client.accessToken()).resolves.toBe('tok_1');
    await getCustomer(client);
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.bearers()).toEqual(['Bearer tok_1']);
  });

  test('accessToken() without the oauth credential rejects with TypeError', async () => {
    const client = createPortico({ apiKey: 'ptc_test_abc', fetch: fakeFetch([]) });
    await expect(client.accessToken()).rejects.toThrow(TypeError);
  });

  test('accessToken(signal) rejects with the reason when aborted while the token is requested', async () => {
    const s = server({ token: () => HANG });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = portico(s).accessToken(controller.signal);
    await s.fetch.waitForRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  test('a call aborted while waiting for its token rejects with the reason and never reaches the API', async () => {
    const s = server({ token: () => HANG });
    const controller = new AbortController();
    const reason = new Error('stop');
    const call = getCustomer(portico(s), { signal: controller.signal });
    await s.fetch.waitForRequests(1);
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(s.apiRequests()).toHaveLength(0);
  });
});

describe('a 401 from the API', () => {
  test('drops the token and retries once with a new one', async () => {
    const s = server({
      api: (_, index) => (index === 0 ? problem(401, 'invalid_token') : json(200, customer)),
    });
    const result = await getCustomer(portico(s));
    expect(result.data).toEqual(customer);
    expect(s.tokenRequests()).toHaveLength(2);
    expect(s.bearers()).toEqual(['Bearer tok_1', 'Bearer tok_2']);
  });

  test('retries a POST without an Idempotency-Key too (the gateway forwarded nothing)', async () => {
    const s = server({ api: (_, index) => (index === 0 ? problem(401, 'invalid_token') : json(200, {})) });
    const result = await portico(s, {}, { retry: { maxRetries: 0 } }).entitlements.suspendGrant({
      params: { path: { grantId: 'grt_1' } },
    });
    expect(result.error).toBeUndefined();
    expect(s.apiRequests().map((r) => `${r.method} ${r.headers.get('authorization')}`)).toEqual([
      'POST Bearer tok_1',
      'POST Bearer tok_2',
    ]);
    expect(s.apiRequests().every((r) => !r.headers.has('idempotency-key'))).toBe(true);
  });

  test('a second 401 is returned as the error', async () => {
    const s = server({ api: () => problem(401, 'invalid_token', { 'x-request-id': 'req_2' }) });
    const { error } = await getCustomer(portico(s));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_token', requestId: 'req_2', attempts: 2 });
    expect(s.apiRequests()).toHaveLength(2);
    expect(s.tokenRequests()).toHaveLength(2);
  });

  test('concurrent calls refused with the same token share one new token and all succeed', async () => {
    const s = server({
      api: (request) =>
        request.headers.get('authorization') === 'Bearer tok_1'
          ? problem(401, 'invalid_token')
          : json(200, customer),
    });
    const client = portico(s);
    await client.accessToken();
    const results = await Promise.all(Array.from({ length: 4 }, () => getCustomer(client)));
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(s.tokenRequests()).toHaveLength(2);
    expect(s.bearers().filter((b) => b === 'Bearer tok_2')).toHaveLength(4);
  });
});

describe('refusals of the token endpoint', () => {
  test('401 invalid_client is an OAuthError value; the API is not called', async () => {
    const s = server({
      token: () =>
        json(
          401,
          { error: 'invalid_client', error_description: 'Client authentication failed.' },
          {
            'www-authenticate': 'Basic realm="portico"',
            'x-request-id': 'req_tok',
          },
        ),
    });
    const client = portico(s);
    const result = await getCustomer(client);
    expect(result.error).toBeInstanceOf(OAuthError);
    expect(result.error).toMatchObject({
      kind: 'oauth',
      status: 401,
      error: 'invalid_client',
      description: 'Client authentication failed.',
      requestId: 'req_tok',
      attempts: 1,
    });
    expect(result.response).toBeUndefined();
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.apiRequests()).toHaveLength(0);
    await expect(client.accessToken()).rejects.toBeInstanceOf(OAuthError);
  });

  test('400 invalid_scope is an OAuthError with its description', async () => {
    const s = server({
      token: () => json(400, { error: 'invalid_scope', error_description: 'orders:write is not granted' }),
    });
    const { error } = await getCustomer(portico(s, { scopes: ['orders:write'] }));
    expect(error).toMatchObject({
      status: 400,
      error: 'invalid_scope',
      description: 'orders:write is not granted',
    });
  });

  test('a token endpoint 429 is the ProblemError with its Retry-After, not an OAuthError', async () => {
    const s = server({ token: () => problem(429, 'rate_limited', { 'retry-after': '120' }) });
    const { error } = await getCustomer(portico(s));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 120 });
    expect(s.apiRequests()).toHaveLength(0);
  });

  test('a token endpoint 500 that persists is the ProblemError, not an OAuthError', async () => {
    const s = server({ token: () => problem(500, 'internal_error') });
    const { error } = await getCustomer(portico(s));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 500, attempts: 3 });
    expect(s.apiRequests()).toHaveLength(0);
  });

  test.each<[string, () => Response]>([
    ['no body', () => new Response(null, { status: 200 })],
    ['a non-bearer token', () => json(200, { access_token: 't', token_type: 'mac', expires_in: 60 })],
    ['a negative expires_in', () => json(200, { access_token: 't', token_type: 'Bearer', expires_in: -1 })],
    [
      'an expires_in that is no number',
      () => json(200, { access_token: 't', token_type: 'Bearer', expires_in: 'soon' }),
    ],
    ['HTML', () => new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } })],
  ])('a 200 with %s is an OAuthError invalid_response', async (_, answer) => {
    const s = server({ token: () => answer() });
    const { error } = await getCustomer(portico(s));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ status: 200, error: 'invalid_response' });
    expect(s.tokenRequests()).toHaveLength(1);
    expect(s.apiRequests()).toHaveLength(0);
  });
});
