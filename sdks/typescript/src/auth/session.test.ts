// The management-API session of createPlatform without a token, through an injected fetch: the portico_session
// cookie from signUp or login goes back on every request, the CSRF token on unsafe ones only, until logout or a
// 401 ends it.
import { createPlatform } from '../portico';
import { empty, fakeFetch, json, problem, type Reply } from '../testing/fake-fetch';

const COOKIE = 'portico_session=s3ss10n; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax';
const CLEARED = 'portico_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax';

function session(csrfToken: string) {
  return { member: { id: 'mbr_1' }, partner: { id: 'prt_1' }, csrfToken, expiresAt: '2030-01-01T00:00:00Z' };
}

function sessionAnswer(status: number, csrfToken: string, cookie = COOKIE): Response {
  return new Response(JSON.stringify(session(csrfToken)), {
    status,
    headers: [
      ['content-type', 'application/json'],
      ['set-cookie', 'other=1; Path=/'],
      ['set-cookie', cookie],
    ],
  });
}

function platform(replies: Reply[]) {
  const fetch = fakeFetch(replies);
  return { fetch, client: createPlatform({ fetch, retry: { baseDelayMs: 1 } }) };
}

const signUp = {
  partnerName: 'Acme',
  name: 'Ada',
  email: 'ada@acme.example',
  password: 'correct horse battery',
};

describe('a platform session', () => {
  test('signUp starts it: the cookie on every request, X-CSRF-Token on unsafe ones only', async () => {
    const { fetch, client } = platform([
      sessionAnswer(201, 'csrf-1'),
      json(200, {}),
      json(200, { data: [], hasMore: false, nextCursor: null }),
      json(201, {}),
      json(200, {}),
      empty(204),
    ]);
    expect(client.hasSession).toBe(false);
    await client.signUp({ body: signUp });
    expect(client.hasSession).toBe(true);
    await client.getMe();
    await client.listApps();
    await client.createApp({ body: { name: 'Shop' } as never });
    await client.updatePartner({ body: { name: 'Acme 2' } as never });
    await client.deleteApp({ params: { path: { appId: 'app_1' } } });

    const [first, ...rest] = fetch.requests;
    expect(first!.headers.has('cookie')).toBe(false);
    expect(first!.headers.has('x-csrf-token')).toBe(false);
    expect(rest.map((r) => [r.method, r.headers.get('cookie'), r.headers.get('x-csrf-token')])).toEqual([
      ['GET', 'portico_session=s3ss10n', null],
      ['GET', 'portico_session=s3ss10n', null],
      ['POST', 'portico_session=s3ss10n', 'csrf-1'],
      ['PATCH', 'portico_session=s3ss10n', 'csrf-1'],
      ['DELETE', 'portico_session=s3ss10n', 'csrf-1'],
    ]);
  });

  test('login replaces the cookie and the CSRF token', async () => {
    const { fetch, client } = platform([
      sessionAnswer(201, 'csrf-1'),
      sessionAnswer(200, 'csrf-2', 'portico_session=n3w; Path=/; Max-Age=604800; HttpOnly'),
      json(201, {}),
    ]);
    await client.signUp({ body: signUp });
    await client.login({ body: { email: 'ada@acme.example', password: 'correct horse battery' } });
    await client.createApp({ body: { name: 'Shop' } as never });
    expect(fetch.requests[1]!.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(fetch.requests[2]!.headers.get('cookie')).toBe('portico_session=n3w');
    expect(fetch.requests[2]!.headers.get('x-csrf-token')).toBe('csrf-2');
  });

  test('logout’s clearing cookie ends it: nothing is sent afterwards', async () => {
    const logout = new Response(null, { status: 204, headers: { 'set-cookie': CLEARED } });
    const { fetch, client } = platform([
      sessionAnswer(200, 'csrf-1'),
      logout,
      problem(401, 'unauthenticated'),
    ]);
    await client.login({ body: { email: 'ada@acme.example', password: 'pw' } });
    await client.logout();
    expect(fetch.requests[1]!.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(client.hasSession).toBe(false);
    await client.createApp({ body: { name: 'Shop' } as never });
    expect(fetch.requests[2]!.headers.has('cookie')).toBe(false);
    expect(fetch.requests[2]!.headers.has('x-csrf-token')).toBe(false);
  });

  test('a 401 ends it', async () => {
    const { fetch, client } = platform([
      sessionAnswer(200, 'csrf-1'),
      problem(401, 'unauthenticated'),
      json(200, {}),
    ]);
    await client.login({ body: { email: 'ada@acme.example', password: 'pw' } });
    const { error } = await client.getMe();
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect(client.hasSession).toBe(false);
    await client.getMe();
    expect(fetch.requests[2]!.headers.has('cookie')).toBe(false);
  });
});

describe('createPlatform with a token', () => {
  test.each([
    ['personalToken', { personalToken: 'ptp_01abc' }, 'Bearer ptp_01abc'],
    ['operatorToken', { operatorToken: 'pto_secret' }, 'Bearer pto_secret'],
  ])('%s is sent as Authorization: Bearer on every attempt, never a cookie', async (_, token, expected) => {
    const fetch = fakeFetch([problem(503, 'unavailable'), sessionAnswer(200, 'csrf-1'), json(201, {})]);
    const client = createPlatform({ ...token, fetch, retry: { baseDelayMs: 1 } });
    await client.getSession();
    await client.createApp({ body: { name: 'Shop' } as never });
    expect(fetch.requests.map((r) => r.headers.get('authorization'))).toEqual([expected, expected, expected]);
    expect(fetch.requests.some((r) => r.headers.has('cookie') || r.headers.has('x-csrf-token'))).toBe(false);
    expect(client.hasSession).toBe(false);
  });

  test('both tokens, or a token that is not visible ASCII, are refused', () => {
    const fetch = fakeFetch([]);
    expect(() => createPlatform({ personalToken: 'ptp_1', operatorToken: 'pto_1', fetch })).toThrow(
      TypeError,
    );
    expect(() => createPlatform({ personalToken: 'ptp 1', fetch })).toThrow(TypeError);
    expect(() => createPlatform({ personalToken: '', fetch })).toThrow(TypeError);
  });
});

describe("a browser session (session: 'browser')", () => {
  function browserPlatform(replies: Reply[]) {
    const fetch = fakeFetch(replies);
    return { fetch, client: createPlatform({ fetch, session: 'browser', retry: { baseDelayMs: 1 } }) };
  }
  const at = (response: Response, url: string) => Object.defineProperty(response, 'url', { value: url });

  test('sends no cookie of its own and X-CSRF-Token on unsafe requests once getSession told it', async () => {
    const { fetch, client } = browserPlatform([json(200, session('csrf-b')), json(200, {}), json(201, {})]);
    expect(client.hasSession).toBe(false);
    await client.getSession();
    expect(client.hasSession).toBe(true);
    await client.getMe();
    await client.createApp({ body: { name: 'Shop' } as never });
    expect(
      fetch.requests.map((r) => [r.method, r.headers.get('cookie'), r.headers.get('x-csrf-token')]),
    ).toEqual([
      ['GET', null, null],
      ['GET', null, null],
      ['POST', null, 'csrf-b'],
    ]);
  });

  test('forgets the token after a 401 and after logout, not after another 204', async () => {
    const { fetch, client } = browserPlatform([
      sessionAnswer(200, 'csrf-1'),
      empty(204),
      problem(401, 'unauthenticated'),
      json(200, session('csrf-2')),
      at(empty(204), 'http://127.0.0.1:3000/api/v1/session'),
      json(201, {}),
    ]);
    await client.login({ body: { email: 'ada@acme.example', password: 'correct horse battery' } });
    await client.deleteApp({ params: { path: { appId: 'app_1' } } });
    expect(client.hasSession).toBe(true);
    await client.getMe();
    expect(client.hasSession).toBe(false);
    await client.getSession();
    expect(client.hasSession).toBe(true);
    await client.logout();
    expect(client.hasSession).toBe(false);
    await client.createApp({ body: { name: 'Shop' } as never });
    expect(fetch.requests.at(-1)!.headers.has('x-csrf-token')).toBe(false);
  });
});

describe('a session over HTTPS', () => {
  test('keeps the __Host- prefixed cookie under its own name', async () => {
    const fetch = fakeFetch([
      sessionAnswer(
        201,
        'csrf-h',
        '__Host-portico_session=s3cure; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure',
      ),
      json(200, {}),
    ]);
    const client = createPlatform({ fetch, retry: { baseDelayMs: 1 } });
    await client.signUp({ body: signUp });
    expect(client.hasSession).toBe(true);
    await client.getMe();
    expect(fetch.requests.at(-1)!.headers.get('cookie')).toBe('__Host-portico_session=s3cure');
  });
});
