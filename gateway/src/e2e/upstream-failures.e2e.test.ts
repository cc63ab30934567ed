// The gateway's own answers when an upstream fails (DESIGN.md "Proxying"): nobody listening → 502, no answer →
// 504 within the upstream timeout, repeated failures → the circuit opens (503 + Retry-After, the upstream is not
// called) and closes again after its cool-down once the upstream works. And the backends cannot be reached around
// the gateway: called directly without a valid identity assertion, they answer 401.
import { manualClock, type ManualClock } from '../../../internal/src/clock';
import { IDENTITY_ASSERTION_HEADER } from '../../../internal/src/identity/identity-assertion';
import { generateIdentityKey } from '../../../internal/src/identity/identity-keys';
import { createIdentitySigner } from '../../../internal/src/identity/identity-signer';
import { resolveIdentityKeys } from '../../../internal/src/secrets';
import { CIRCUIT_BREAKER_DEFAULTS } from '../policies/proxy/circuit-breaker';
import {
  ALL_PUBLIC_SCOPES,
  startTestPlatform,
  type TestCredential,
  type TestPlatform,
} from '../testing/test-platform';
import { closedPortOrigin, startFakeUpstream, type FakeUpstream } from './testing/fake-upstream';
import { send, type Sent } from './testing/http-send';
import { describeEachVariant } from './testing/platform-variants';

const UPSTREAM_TIMEOUT_MS = 300;
const PROBLEM_JSON = 'application/problem+json';

describeEachVariant('upstream failures through the gateway', (variant) => {
  let platform: TestPlatform;
  let clock: ManualClock;
  let caller: TestCredential;
  let silent: FakeUpstream;
  let flaky: FakeUpstream;

  beforeAll(async () => {
    // The circuit breaker's cool-down runs on this clock; the upstream timeout is a real timer (it bounds a wait).
    clock = manualClock(new Date());
    silent = await startFakeUpstream('hang');
    flaky = await startFakeUpstream('ok');
    platform = await startTestPlatform({
      dialect: variant.dialect,
      clock,
      upstreams: { crm: await closedPortOrigin(), orders: silent.origin, entitlements: flaky.origin },
      env: { PORTICO_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
      ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    });
    caller = await platform.partner();
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([silent?.close(), flaky?.close()]);
  });

  const get = (path: string): Promise<Sent> =>
    send(new URL(path, platform.gatewayUrl), { headers: { authorization: `Bearer ${caller.apiKey}` } });

  test('an upstream nobody listens on: 502 bad_gateway problem', async () => {
    const res = await get('/crm/v1/customers');
    expect([res.status, res.headers['content-type']]).toEqual([502, PROBLEM_JSON]);
    expect(res.json()).toMatchObject({ status: 502, code: 'bad_gateway', instance: '/crm/v1/customers' });
    // The upstream's address is for the log, not for the caller (`type` is the docs page, on the portal's host).
    const { type: _type, ...rest } = res.json() as Record<string, unknown>;
    expect(JSON.stringify(rest)).not.toContain('127.0.0.1');
  });

  test(`an upstream that never answers: 504 gateway_timeout within the timeout (${UPSTREAM_TIMEOUT_MS} ms) + 0.5 s`, async () => {
    const before = silent.requests;
    const res = await get('/orders/v1/orders');
    expect([res.status, res.headers['content-type']]).toEqual([504, PROBLEM_JSON]);
    expect(res.json()).toMatchObject({ status: 504, code: 'gateway_timeout' });
    expect(silent.requests).toBe(before + 1);
    // A functional bound of the spec: the caller is answered once the timeout has passed, and not much later.
    expect(res.latencyMs).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS - 5);
    expect(res.latencyMs).toBeLessThan(UPSTREAM_TIMEOUT_MS + 500);
  });

  test('repeated failures open the circuit (503 + Retry-After, upstream not called); it closes after the cool-down once the upstream works', async () => {
    const path = '/entitlements/v1/packages';
    expect((await get(path)).status).toBe(200);
    flaky.behave('reset');
    const failures: number[] = [];
    for (let i = 0; i < CIRCUIT_BREAKER_DEFAULTS.failureThreshold; i++)
      failures.push((await get(path)).status);
    expect(failures).toEqual(Array(CIRCUIT_BREAKER_DEFAULTS.failureThreshold).fill(502));
    const reached = flaky.requests;

    // Open: refused at once, even though the upstream works again — it is not asked.
    flaky.behave('ok');
    const coolDownSeconds = CIRCUIT_BREAKER_DEFAULTS.coolDownMs / 1000;
    const open = await get(path);
    expect([open.status, open.headers['retry-after'], open.headers['content-type']]).toEqual([
      503,
      String(coolDownSeconds),
      PROBLEM_JSON,
    ]);
    expect(open.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
    clock.advance(CIRCUIT_BREAKER_DEFAULTS.coolDownMs - 1_000);
    const stillOpen = await get(path);
    expect([stillOpen.status, stillOpen.headers['retry-after']]).toEqual([503, '1']);
    expect(flaky.requests).toBe(reached);

    // After the cool-down one trial goes through; it succeeds, so the circuit closes.
    clock.advance(1_000);
    expect((await get(path)).status).toBe(200);
    expect(flaky.requests).toBe(reached + 1);
    expect((await get(path)).status).toBe(200);
    expect(flaky.requests).toBe(reached + 2);
  });

  test('a failed trial after the cool-down opens the circuit again for a whole cool-down', async () => {
    const path = '/entitlements/v1/packages';
    flaky.behave('reset');
    for (let i = 0; i < CIRCUIT_BREAKER_DEFAULTS.failureThreshold; i++) await get(path);
    expect((await get(path)).status).toBe(503);
    clock.advance(CIRCUIT_BREAKER_DEFAULTS.coolDownMs);
    const reached = flaky.requests;
    expect((await get(path)).status).toBe(502);
    expect(flaky.requests).toBe(reached + 1);
    const reopened = await get(path);
    expect([reopened.status, reopened.headers['retry-after']]).toEqual([
      503,
      String(CIRCUIT_BREAKER_DEFAULTS.coolDownMs / 1000),
    ]);
    expect(flaky.requests).toBe(reached + 1);
    flaky.behave('ok');
    clock.advance(CIRCUIT_BREAKER_DEFAULTS.coolDownMs);
    expect((await get(path)).status).toBe(200);
  });

  test('/metrics counts upstream answers and each kind of upstream failure', async () => {
    const metrics = await send(new URL('/metrics', platform.gatewayUrl));
    expect(metrics.text).toMatch(
      /portico_gateway_upstream_errors_total\{upstream="crm",kind="connect"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /portico_gateway_upstream_errors_total\{upstream="orders",kind="timeout"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /portico_gateway_upstream_errors_total\{upstream="entitlements",kind="circuit_open"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /portico_gateway_upstream_responses_total\{upstream="entitlements",status="200"\} [1-9]/,
    );
  });
});

describeEachVariant('backends behind the gateway', (variant) => {
  let platform: TestPlatform;
  let caller: TestCredential;

  beforeAll(async () => {
    platform = await startTestPlatform({
      dialect: variant.dialect,
      ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    });
    caller = await platform.partner();
  });
  afterAll(() => platform?.stop());

  test('a backend called directly without a valid identity assertion answers 401; through the gateway it serves', async () => {
    const [identityKey] = resolveIdentityKeys(platform.config);
    const identity = {
      scheme: 'apiKey' as const,
      credentialId: caller.keyId,
      appId: caller.appId,
      partnerId: caller.partnerId,
      environment: caller.environment,
      scopes: ALL_PUBLIC_SCOPES,
    };
    const genuine = createIdentitySigner({
      privateKey: identityKey!.privateKey,
      kid: identityKey!.kid,
      clock: platform.store.clock,
    });
    // The gateway's key id, but a key the backends never saw.
    const impostor = createIdentitySigner({
      privateKey: generateIdentityKey(identityKey!.kid).key.privateKey,
      kid: identityKey!.kid,
      clock: platform.store.clock,
    });

    for (const service of platform.backends!.services) {
      const url = new URL(service.demoUrl);
      const direct = (headers: Record<string, string>) => send(url, { headers });
      const answers = {
        'no assertion': await direct({}),
        "the caller's API key": await direct({ authorization: `Bearer ${caller.apiKey}` }),
        'an assertion signed by another key': await direct({
          [IDENTITY_ASSERTION_HEADER]: impostor(identity, service.name),
        }),
        "another backend's assertion": await direct({
          [IDENTITY_ASSERTION_HEADER]: genuine(identity, service.name === 'crm' ? 'orders' : 'crm'),
        }),
      };
      for (const [what, res] of Object.entries(answers)) {
        expect({
          service: service.name,
          what,
          status: res.status,
          type: res.headers['content-type'],
        }).toEqual({
          service: service.name,
          what,
          status: 401,
          type: expect.stringMatching(/^application\/problem\+json\b/),
        });
      }
      // The refusals are about the assertion: the genuine one is served directly, and so is the gateway.
      expect((await direct({ [IDENTITY_ASSERTION_HEADER]: genuine(identity, service.name) })).status).toBe(
        200,
      );
      const viaGateway = await send(new URL(url.pathname, platform.gatewayUrl), {
        headers: { authorization: `Bearer ${caller.apiKey}` },
      });
      expect(viaGateway.status).toBe(200);
    }
  });
});
