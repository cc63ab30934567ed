// A signing client whose clock is 10 minutes off: the gateway refuses `created` outside ±300 s with the same 401
// as any other failure, and the SDK corrects its clock from that answer's Date header and signs once more — so the
// integrator's call succeeds, the correction sticks, and a clock that agrees is never retried.
import { createPortico, unwrap } from '@portico/sdk';
import { onboardPartner, type OnboardedPartner } from './testing/onboard-partner';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

const TEN_MINUTES_MS = 600_000;

describeEachVariant('a signing client with a skewed clock', (variant) => {
  let running: RunningPlatform;
  let partner: OnboardedPartner;

  beforeAll(async () => {
    running = await startPlatform(variant);
    partner = await onboardPartner(running.portalUrl, 'Skewed Clock Clinic');
  });
  afterAll(() => running?.stop());

  test.each([
    ['behind', -TEN_MINUTES_MS],
    ['ahead', TEN_MINUTES_MS],
  ] as const)('%s by 10 min: the first call succeeds after one corrected signature', async (_, offsetMs) => {
    const attempts: Array<{ created: number; status: number }> = [];
    const portico = createPortico({
      baseUrl: running.gatewayUrl,
      signing: partner.credentials.hmac,
      now: () => Date.now() + offsetMs,
      // Wrapping the real fetch (not replacing it) to see each attempt's `created` and answer.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const signatureInput = new Headers(init?.headers).get('signature-input') ?? '';
        attempts.push({
          created: Number(/;created=(\d+)/.exec(signatureInput)?.[1]),
          status: response.status,
        });
        return response;
      },
    });

    const customer = await unwrap(
      portico.crm.createCustomer({
        body: { kind: 'person', name: `Skewed ${offsetMs > 0 ? 'ahead' : 'behind'}` },
      }),
    );
    expect(customer.id).toMatch(/^cus_/);
    expect(attempts.map((a) => a.status)).toEqual([401, 201]);
    const realSeconds = Date.now() / 1000;
    expect(Math.abs(attempts[0]!.created - realSeconds - offsetMs / 1000)).toBeLessThan(60);
    expect(Math.abs(attempts[1]!.created - realSeconds)).toBeLessThan(60);

    await unwrap(portico.crm.getCustomer({ params: { path: { customerId: customer.id } } }));
    expect(attempts.map((a) => a.status)).toEqual([401, 201, 200]);
  });

  test('a clock that agrees with the gateway is never retried on a 401 (a wrong secret stays one attempt)', async () => {
    let calls = 0;
    const portico = createPortico({
      baseUrl: running.gatewayUrl,
      signing: { keyId: partner.credentials.hmac.keyId, algorithm: 'hmac-sha256', secret: 'pts_test_wrong' },
      fetch: async (input, init) => {
        calls += 1;
        return fetch(input, init);
      },
    });
    const { error } = await portico.crm.listCustomers();
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect(calls).toBe(1);
  });
});
