// CORS at a real gateway (port 0, real backends behind it): preflights answered by the gateway itself before
// authentication, without touching any limiter or the backend; actual responses — success and the gateway's own
// problems — readable by allowed origins only.
import { startFakeUpstream, type FakeUpstream } from '../../e2e/testing/fake-upstream';
import { send, type Sent } from '../../e2e/testing/http-send';
import { describeEachVariant } from '../../e2e/testing/platform-variants';
import { startTestPlatform, type TestCredential, type TestPlatform } from '../../testing/test-platform';
import { CORS_ALLOWED_HEADERS } from './cors';

const PORTAL = 'http://portal.cors.test:3000';
const OTHER = 'https://evil.example';

describeEachVariant('gateway CORS', (variant) => {
  let platform: TestPlatform;
  let upstream: FakeUpstream;
  let planId: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream('ok');
    platform = await startTestPlatform({
      dialect: variant.dialect,
      upstreams: { crm: upstream.origin, orders: upstream.origin, entitlements: upstream.origin },
      env: { PORTICO_GATEWAY_CORS_ORIGINS: `${PORTAL}, http://other-portal.test` },
      ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    });
    // One request a minute: a preflight that counted would turn the app's first call into a 429.
    planId = await platform.plan({ rateLimits: [{ name: 'minute', limit: 1, windowSeconds: 60 }] });
  });
  afterAll(async () => {
    await platform?.stop();
    await upstream?.close();
  });

  const preflight = (origin: string, path = '/crm/v1/customers'): Promise<Sent> =>
    send(new URL(path, platform.gatewayUrl), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-api-key, content-type, idempotency-key',
      },
    });

  test('the configuration defaults to the portal origin and takes a list', () => {
    expect(platform.config.gateway.corsOrigins).toEqual([PORTAL, 'http://other-portal.test']);
  });

  test('a preflight from an allowed origin is a 204 with the allow headers, before authentication', async () => {
    const res = await preflight(PORTAL);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase();
    for (const name of CORS_ALLOWED_HEADERS) expect(allowed).toContain(name.toLowerCase());
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toBe('Origin');
    expect(res.text).toBe('');
  });

  test('preflights reach no backend and spend no limit, even for a path that does not exist', async () => {
    const caller: TestCredential = await platform.partner({ planId });
    const before = upstream.requests;
    for (let i = 0; i < 5; i++) expect((await preflight(PORTAL)).status).toBe(204);
    expect((await preflight(PORTAL, '/nowhere')).status).toBe(204);
    expect(upstream.requests).toBe(before);
    const call = await send(new URL('/crm/v1/customers', platform.gatewayUrl), {
      headers: { 'x-api-key': caller.apiKey, origin: PORTAL },
    });
    expect(call.status).toBe(200);
    expect(upstream.requests).toBe(before + 1);
  });

  test('a preflight from another origin is a 204 without any allow header', async () => {
    const res = await preflight(OTHER);
    expect(res.status).toBe(204);
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(res.headers.vary).toBe('Origin');
  });

  test('an actual response — success, 401 or 429 problem — exposes the headers to an allowed origin only', async () => {
    const caller = await platform.partner({ planId });
    const key = { 'x-api-key': caller.apiKey, origin: PORTAL };
    const ok = await send(new URL('/crm/v1/customers', platform.gatewayUrl), { headers: key });
    const limited = await send(new URL('/crm/v1/customers', platform.gatewayUrl), { headers: key });
    const unauthenticated = await send(new URL('/crm/v1/customers', platform.gatewayUrl), {
      headers: { origin: PORTAL },
    });
    expect([ok.status, limited.status, unauthenticated.status]).toEqual([200, 429, 401]);
    for (const res of [ok, limited, unauthenticated]) {
      expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(res.headers.vary).toBe('Origin');
      const exposed = String(res.headers['access-control-expose-headers']);
      for (const name of [
        'X-Request-Id',
        'RateLimit',
        'RateLimit-Policy',
        'Retry-After',
        'Idempotent-Replayed',
        'Location',
      ]) {
        expect(exposed).toContain(name);
      }
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    expect(limited.headers['content-type']).toBe('application/problem+json');

    const other = await send(new URL('/crm/v1/customers', platform.gatewayUrl), {
      headers: { origin: OTHER },
    });
    expect(other.status).toBe(401);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-expose-headers']).toBeUndefined();
  });
});
