// The session cookie's name follows the connection: `__Host-portico_session` (Secure) over HTTPS — which no
// sibling subdomain or other port can plant (RFC 6265bis §4.1.3.2) — and `portico_session` over plain HTTP; each
// is read only where it is set, so a planted unprefixed cookie never opens a session over HTTPS.
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { createManagementApp } from '../app';
import { startTestPortal, TEST_PASSWORD, type TestPortal } from '../testing/portal-harness';

describeEachStore('portal session cookie name', (store) => {
  let portal: TestPortal;
  let server: RunningServer;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    // Behind a TLS-terminating proxy on loopback: X-Forwarded-Proto says whether the caller used HTTPS.
    server = await startServer(createManagementApp({ ...portal.deps, trustProxy: 'loopback' }));
  });
  afterAll(async () => {
    await server?.close();
    await portal?.close();
  });

  const call = (path: string, init: { https: boolean; cookie?: string; body?: unknown }) =>
    fetch(`${server.baseUrl}/api/v1${path}`, {
      method: init.body ? 'POST' : 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.https ? { 'x-forwarded-proto': 'https' } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });

  test('over HTTPS the cookie is __Host- prefixed and Secure, and only that name opens the session', async () => {
    const signedUp = await call('/signup', {
      https: true,
      body: { partnerName: 'Amber', name: 'Ada', email: 'ada@amber-https.example', password: TEST_PASSWORD },
    });
    expect(signedUp.status).toBe(201);
    const setCookie = signedUp.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^__Host-portico_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/,
    );
    const token = /=([^;]+)/.exec(setCookie)![1]!;
    expect((await call('/session', { https: true, cookie: `__Host-portico_session=${token}` })).status).toBe(
      200,
    );
    // A cookie planted without the prefix (another port, a sibling subdomain) is not a session over HTTPS…
    expect((await call('/session', { https: true, cookie: `portico_session=${token}` })).status).toBe(401);
    // …and the Secure cookie is not read from a plain-HTTP request.
    expect((await call('/session', { https: false, cookie: `__Host-portico_session=${token}` })).status).toBe(
      401,
    );
  });

  test('over plain HTTP the cookie keeps its plain name, without Secure', async () => {
    const signedUp = await call('/signup', {
      https: false,
      body: { partnerName: 'Amber', name: 'Ada', email: 'ada@amber-http.example', password: TEST_PASSWORD },
    });
    expect(signedUp.status).toBe(201);
    expect(signedUp.headers.get('set-cookie')).toMatch(/^portico_session=[^;]+; Path=\/; .*SameSite=Lax$/);
  });
});
