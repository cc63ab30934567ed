// Sign-up, sign-in, the session cookie and its CSRF token, sign-out, and who the caller is (/me), on every engine.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startTestPortal, TEST_PASSWORD, type TestPortal } from './testing/portal-harness';

describeEachStore('portal sessions', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  test('sign-up creates the partner and its owner, signs the owner in and sets a safe cookie', async () => {
    const response = await portal.anonymous.call('signUp', {
      body: {
        partnerName: 'Jade Pharmacy',
        name: 'Li Wei',
        email: 'Li.Wei@Jade.example',
        password: TEST_PASSWORD,
      },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/api/v1/partner');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^portico_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax$/,
    );
    expect(response.body.member).toMatchObject({ role: 'owner', status: 'active', name: 'Li Wei' });
    expect(response.body.partner).toMatchObject({ name: 'Jade Pharmacy', status: 'active' });
    expect(response.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('an address already in use is a 409, a weak password a 422 naming /password', async () => {
    const owner = await portal.signUp();
    const taken = await portal.anonymous.call('signUp', {
      body: {
        partnerName: 'Other',
        name: 'X',
        email: owner.member.email.toUpperCase(),
        password: TEST_PASSWORD,
      },
    });
    expect(taken.status).toBe(409);
    const weak = await portal.anonymous.call('signUp', {
      body: { partnerName: 'Other', name: 'X', email: 'weak@jade.example', password: 'aaaaaaaaaaaaaaaa' },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.errors[0].pointer).toBe('/password');
  });

  test('GET /session gives back the same CSRF token; /me says how the caller authenticated', async () => {
    const owner = await portal.signUp();
    const session = await owner.client.call('getSession');
    expect(session.status).toBe(200);
    expect(session.body.csrfToken).toBe(owner.csrfToken);
    const me = await owner.client.call('getMe');
    expect(me.body.authentication).toMatchObject({ method: 'session', personalTokenId: null });
    expect(me.body.member.id).toBe(owner.member.id);
  });

  test("a change without the CSRF token, or with another session's, is refused with 403 csrf_failed", async () => {
    const owner = await portal.signUp();
    const other = await portal.signUp();
    for (const csrf of [undefined, other.csrfToken, '']) {
      const response = await portal.anonymous.call('logout', {
        headers: { cookie: owner.cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
      });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('csrf_failed');
    }
    expect((await owner.client.call('getSession')).status).toBe(200);
  });

  test('sign-out ends the session: the cookie stops working', async () => {
    const owner = await portal.signUp();
    const out = await owner.client.call('logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^portico_session=; Path=\/; Max-Age=0/);
    const after = await owner.client.call('getSession');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer realm="portico"/);
  });

  test('a missing, malformed or unknown credential is the same 401', async () => {
    const bodies = new Set<string>();
    const attempts: Array<Record<string, string>> = [
      {},
      { cookie: 'portico_session=nope' },
      { cookie: `portico_session=${'a'.repeat(43)}` },
      { authorization: 'Bearer ptp_test_x' },
      { authorization: 'Basic abc' },
    ];
    for (const headers of attempts) {
      const response = await portal.anonymous.call('getMe', { headers });
      expect(response.status).toBe(401);
      const { requestId: _r, ...rest } = response.body;
      bodies.add(JSON.stringify(rest));
    }
    expect(bodies.size).toBe(1);
  });

  test('sign-in: right password → session; wrong password, unknown address → the same 401', async () => {
    const owner = await portal.signUp();
    const again = await portal.login(owner.member.email);
    expect(again.member.id).toBe(owner.member.id);
    const wrong = await portal.anonymous.call('login', {
      body: { email: owner.member.email, password: 'not it at all 123' },
    });
    const unknown = await portal.anonymous.call('login', {
      body: { email: 'nobody@jade.example', password: 'not it at all 123' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  test('sign-in is throttled per address after 10 failures (429 + Retry-After), and the window ends', async () => {
    const owner = await portal.signUp();
    for (let i = 0; i < 10; i += 1) {
      const r = await portal.anonymous.call('login', {
        body: { email: owner.member.email, password: 'wrong password 123' },
      });
      expect(r.status).toBe(401);
    }
    const limited = await portal.anonymous.call('login', {
      body: { email: owner.member.email, password: TEST_PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    portal.clock.advance(15 * 60 * 1000);
    expect((await portal.login(owner.member.email)).member.id).toBe(owner.member.id);
  });

  test('30 concurrent wrong passwords for one address: at most 10 are checked, the rest are 429', async () => {
    const owner = await portal.signUp();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        portal.anonymous.call('login', {
          body: { email: owner.member.email, password: 'wrong password 123' },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    portal.clock.advance(15 * 60 * 1000);
  });

  test('sign-up and sign-in from a foreign origin are refused (login CSRF); the own origin is fine', async () => {
    const foreign = await portal.anonymous.call('login', {
      body: { email: 'x@jade.example', password: 'whatever 12345' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('csrf_failed');
    const crossSite = await portal.anonymous.call('signUp', {
      body: { partnerName: 'P', name: 'N', email: 'cs@jade.example', password: TEST_PASSWORD },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const own = await portal.anonymous.call('signUp', {
      body: { partnerName: 'P', name: 'N', email: 'own@jade.example', password: TEST_PASSWORD },
      headers: { origin: portal.baseUrl },
    });
    expect(own.status).toBe(201);
  });

  test('a session ends 12 hours after its last use', async () => {
    const owner = await portal.signUp();
    portal.clock.advance(11 * 3600 * 1000);
    expect((await owner.client.call('getMe')).status).toBe(200);
    portal.clock.advance(11 * 3600 * 1000);
    expect((await owner.client.call('getMe')).status).toBe(200);
    portal.clock.advance(12 * 3600 * 1000 + 1000);
    expect((await owner.client.call('getMe')).status).toBe(401);
  });
});
