// A new partner's first day, through the SDK only, against the running platform: sign up and get credentials from
// the management API, then with each credential (API key, OAuth token, HMAC and Ed25519 signatures) build a
// catalogue, create a customer, place and pay an order, grant the package and redeem it — and read it all back.
import { createPortico, rateLimitOf, unwrap, type FetchLike } from '@portico/sdk';
import {
  CREDENTIAL_KINDS,
  onboardPartner,
  porticoWith,
  type OnboardedPartner,
} from './testing/onboard-partner';
import { ALL_PUBLIC_SCOPES } from '../../../gateway/src/testing/test-platform';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

const PRICE = { amount: 199_900, currency: 'CNY' };
const SESSIONS = 12;

describeEachVariant(
  'the SDK end to end: sign-up, four credentials, CRM → orders → entitlements',
  (variant) => {
    let running: RunningPlatform;
    let partner: OnboardedPartner;
    /** The customers the journeys made, in order; the pagination test expects exactly these. */
    const customerIds: string[] = [];

    beforeAll(async () => {
      running = await startPlatform(variant);
      partner = await onboardPartner(running.portalUrl, 'Jade Pharmacy');
    });
    afterAll(() => running?.stop());

    test('sign-up starts a session on the free plan, which lets a test app hold every public scope', async () => {
      const { platform, session, plan, app } = partner;
      expect(platform.hasSession).toBe(true);
      expect(session.member.role).toBe('owner');
      expect(plan).toMatchObject({ id: session.partner.planId, code: 'free' });
      expect([...plan.scopes].sort()).toEqual([...ALL_PUBLIC_SCOPES].sort());
      expect(app).toMatchObject({ partnerId: session.partner.id, environment: 'test', status: 'active' });
      expect([...app.scopes].sort()).toEqual([...ALL_PUBLIC_SCOPES].sort());
      // The session is really held: a read needs it, and the app is there.
      const apps = await unwrap(platform.listApps());
      expect(apps.data.map((a) => a.id)).toEqual([app.id]);
    });

    test('each credential is shown once, in its documented format, and only the public Ed25519 half is stored', () => {
      const { apiKey, oauthClient, hmacKey, ed25519Key, credentials } = partner;
      expect(apiKey.key).toMatch(/^ptc_test_[0-9A-Za-z]+$/);
      expect(apiKey.apiKey).toMatchObject({ appId: partner.app.id, status: 'active', environment: 'test' });
      expect(oauthClient.clientSecret).toMatch(/^pto_test_[0-9A-Za-z]+$/);
      expect(hmacKey.secret).toMatch(/^pts_test_[0-9A-Za-z]+$/);
      expect(hmacKey.signingKey).toMatchObject({ algorithm: 'hmac-sha256', status: 'active' });
      expect(ed25519Key.secret).toBeNull();
      const privateJwk =
        credentials.ed25519.algorithm === 'ed25519' ? credentials.ed25519.privateKey : undefined;
      expect(ed25519Key.signingKey.publicKeyJwk).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: (privateJwk as { x: string }).x,
      });
    });

    test.each(CREDENTIAL_KINDS)(
      'with %s: a catalogue, a customer, a paid order, a granted package and a redemption, read back',
      async (kind) => {
        const portico = porticoWith(partner, kind, { baseUrl: running.gatewayUrl });

        // A new partner has no catalogue: a service, a package of 12 sessions of it, published.
        const item = await unwrap(
          portico.entitlements.createItem({
            body: {
              type: 'service',
              name: 'Family doctor consultation',
              category: 'family_doctor',
              unit: 'session',
            },
          }),
        );
        const draft = await unwrap(
          portico.entitlements.createPackage({
            body: {
              name: `Family Care Annual (${kind})`,
              items: [{ itemId: item.id, quantity: SESSIONS }],
              price: PRICE,
              validity: { kind: 'rolling', days: 365 },
            },
          }),
        );
        expect(draft.status).toBe('draft');
        const pkg = await unwrap(
          portico.entitlements.activatePackage({ params: { path: { packageId: draft.id } } }),
        );
        expect(pkg.status).toBe('active');

        const customer = await unwrap(
          portico.crm.createCustomer({ body: { kind: 'person', name: `Wang Fang (${kind})` } }),
        );
        customerIds.push(customer.id);

        const order = await unwrap(
          portico.orders.createOrder({
            body: {
              customerId: customer.id,
              currency: 'CNY',
              items: [{ type: 'service', packageId: pkg.id, name: pkg.name, quantity: 1, unitPrice: PRICE }],
            },
          }),
        );
        expect(order).toMatchObject({
          status: 'pending',
          customerId: customer.id,
          totals: { total: PRICE, amountPaid: { amount: 0, currency: 'CNY' } },
        });
        const payment = await unwrap(
          portico.orders.payOrder({
            params: { path: { orderId: order.id } },
            body: { method: 'wechat_pay', amount: order.totals.total, transactionReference: `wx-${kind}` },
          }),
        );
        expect(payment).toMatchObject({ orderId: order.id, amount: PRICE, method: 'wechat_pay' });

        const grant = await unwrap(
          portico.entitlements.createGrant({
            body: { customerId: customer.id, packageId: pkg.id, orderId: order.id },
          }),
        );
        expect(grant).toMatchObject({ status: 'active', orderId: order.id, customerId: customer.id });
        expect(grant.balances).toEqual([
          expect.objectContaining({ itemId: item.id, granted: SESSIONS, used: 0, remaining: SESSIONS }),
        ]);
        const redemption = await unwrap(
          portico.entitlements.createRedemption({
            params: { path: { grantId: grant.id } },
            body: { itemId: item.id, quantity: 2, externalRef: `visit-${kind}` },
          }),
        );
        expect(redemption).toMatchObject({ status: 'completed', quantity: 2, remainingAfter: SESSIONS - 2 });

        // Read back: the order is paid in full, the balance went down by what was redeemed.
        const paid = await unwrap(portico.orders.getOrder({ params: { path: { orderId: order.id } } }));
        expect(paid).toMatchObject({ status: 'paid', totals: { amountPaid: PRICE } });
        expect(paid.paidAt).toEqual(expect.any(String));
        const after = await unwrap(
          portico.entitlements.getGrant({ params: { path: { grantId: grant.id } } }),
        );
        expect(after.balances).toEqual([
          expect.objectContaining({ itemId: item.id, granted: SESSIONS, used: 2, remaining: SESSIONS - 2 }),
        ]);
        const grants = await unwrap(
          portico.entitlements.listGrants({ params: { query: { customerId: customer.id } } }),
        );
        expect(grants.data.map((g) => g.id)).toEqual([grant.id]);
        const redemptions = await unwrap(
          portico.entitlements.listRedemptions({ params: { path: { grantId: grant.id } } }),
        );
        expect(redemptions.data.map((r) => r.id)).toEqual([redemption.id]);
      },
    );

    test('paginate follows the cursor page by page: exactly the four customers of the journeys, once each', async () => {
      expect(customerIds).toHaveLength(CREDENTIAL_KINDS.length);
      const pages: Array<{ url: URL; status: number }> = [];
      // Wraps the real fetch to see each page request; a 429 the SDK waited out (the plan's burst) is not a page.
      const countingFetch: FetchLike = async (input, init) => {
        const response = await globalThis.fetch(input, init);
        pages.push({ url: new URL(String(input)), status: response.status });
        return response;
      };
      const portico = createPortico({
        baseUrl: running.gatewayUrl,
        apiKey: partner.credentials.apiKey,
        fetch: countingFetch,
      });
      const seen: string[] = [];
      for await (const customer of portico.crm.paginate('listCustomers', {
        params: { query: { limit: 1 } },
      })) {
        seen.push(customer.id);
      }
      // Every credential acts for the same partner and environment, so one list holds them all.
      expect([...seen].sort()).toEqual([...customerIds].sort());
      const served = pages.filter((page) => page.status === 200);
      expect(served).toHaveLength(customerIds.length);
      expect(served.map((page) => page.url.searchParams.has('cursor'))).toEqual([false, true, true, true]);
    });

    test('rateLimitOf reads the limit the gateway reports on an answer', async () => {
      const portico = createPortico({ baseUrl: running.gatewayUrl, apiKey: partner.credentials.apiKey });
      const first = await portico.crm.listCustomers({
        params: { query: { limit: 1 } },
        retry: { maxDelayMs: 0 },
      });
      const second = await portico.crm.listCustomers({
        params: { query: { limit: 1 } },
        retry: { maxDelayMs: 0 },
      });
      const before = rateLimitOf(first.response);
      const after = rateLimitOf(second.response);
      expect(before).toEqual({
        policy: expect.any(String),
        remaining: expect.any(Number),
        resetSeconds: expect.any(Number),
      });
      expect(first.response!.headers.get('ratelimit')).toContain(`"${before!.policy}"`);
      // Same window (the reset is not in between): one request fewer remains, or none when the burst the tests
      // before used up is still empty (both answers then are 429s, which count nothing).
      if (after!.policy === before!.policy && after!.resetSeconds <= before!.resetSeconds) {
        expect(after!.remaining).toBe(Math.max(0, before!.remaining - 1));
      }
    });
  },
);
