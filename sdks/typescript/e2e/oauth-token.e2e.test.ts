// The SDK's OAuth client credentials against the real gateway's token endpoint: no token is asked for before the
// first call, concurrent first calls share one token request, the token is reused by later calls of every API, and
// a token the gateway stops accepting (its client deleted) gets one refresh, whose refusal is the call's error.
// The requests are counted by a fetch that wraps the real one (nothing is mocked).
import { createPortico, OAuthError, unwrap, type FetchLike, type OAuthClientCredentials } from '@portico/sdk';
import { eventually } from '../../../gateway/src/e2e/testing/eventually';
import { onboardPartner, type OnboardedPartner } from './testing/onboard-partner';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

interface Sent {
  path: string;
  authorization: string | null;
  status?: number;
}

describeEachVariant('OAuth tokens in the SDK against the gateway', (variant) => {
  let running: RunningPlatform;
  let partner: OnboardedPartner;

  beforeAll(async () => {
    running = await startPlatform(variant);
    partner = await onboardPartner(running.portalUrl, 'Token Pharmacy');
  });
  afterAll(() => running?.stop());

  function recordingClient(oauth: OAuthClientCredentials = partner.credentials.oauth) {
    const sent: Sent[] = [];
    const recordingFetch: FetchLike = async (input, init) => {
      const record: Sent = {
        path: new URL(String(input)).pathname,
        authorization: new Headers(init?.headers).get('authorization'),
      };
      sent.push(record);
      const response = await globalThis.fetch(input, init);
      record.status = response.status;
      return response;
    };
    const portico = createPortico({ baseUrl: running.gatewayUrl, oauth, fetch: recordingFetch });
    const tokenRequests = () => sent.filter((s) => s.path === '/oauth/token');
    const apiCalls = () => sent.filter((s) => s.path !== '/oauth/token');
    return { portico, sent, tokenRequests, apiCalls };
  }

  test('two concurrent first calls make exactly one token request, and both calls succeed with that token', async () => {
    const { portico, tokenRequests, apiCalls } = recordingClient();
    expect(tokenRequests()).toHaveLength(0);

    const [customers, orders] = await Promise.all([portico.crm.listCustomers(), portico.orders.listOrders()]);

    expect([customers.response?.status, orders.response?.status]).toEqual([200, 200]);
    expect(tokenRequests()).toHaveLength(1);
    // The token request authenticates the client itself (HTTP Basic), not with a token.
    expect(tokenRequests()[0]!.authorization).toMatch(/^Basic /);
    const token = await portico.accessToken();
    expect(apiCalls().map((call) => call.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
  });

  test('the token is reused by later calls of every API until it nears expiry', async () => {
    const { portico, tokenRequests, apiCalls } = recordingClient();
    await unwrap(portico.crm.listCustomers());
    const token = await portico.accessToken();
    await unwrap(portico.orders.listOrders());
    await unwrap(portico.entitlements.listItems());
    await unwrap(portico.crm.createCustomer({ body: { kind: 'organization', name: 'Token Family Clinic' } }));

    expect(tokenRequests()).toHaveLength(1);
    expect(await portico.accessToken()).toBe(token);
    expect(tokenRequests()).toHaveLength(1);
    expect(apiCalls()).toHaveLength(4);
    expect(new Set(apiCalls().map((call) => call.authorization))).toEqual(new Set([`Bearer ${token}`]));
  });

  test('a token whose client was deleted: one refresh after the 401, and invalid_client is the error of the call', async () => {
    const created = await unwrap(
      partner.platform.createOAuthClient({
        params: { path: { appId: partner.app.id } },
        body: { name: 'to delete' },
      }),
    );
    const { portico, sent } = recordingClient({
      clientId: created.oauthClient.id,
      clientSecret: created.clientSecret,
    });
    await unwrap(portico.crm.listCustomers());

    const deleted = await partner.platform.deleteOAuthClient({
      params: { path: { appId: partner.app.id, oauthClientId: created.oauthClient.id } },
    });
    expect(deleted.response?.status).toBe(204);

    // The gateway checks the client behind each token; on Redis the deletion reaches it through the bus.
    const { value: refused } = await eventually(
      "the deleted client's token is refused",
      async () => {
        const from = sent.length;
        const result = await portico.crm.listCustomers();
        return { done: result.error !== undefined, value: { result, attempts: sent.slice(from) } };
      },
      { timeoutMs: 15_000 },
    );
    expect(refused.result.error).toBeInstanceOf(OAuthError);
    expect(refused.result.error).toMatchObject({ status: 401, error: 'invalid_client' });
    // The cached token's 401, then exactly one token request, refused: no loop, no retry of the refusal.
    expect(refused.attempts.map((a) => `${a.path} ${a.status}`)).toEqual([
      '/crm/v1/customers 401',
      '/oauth/token 401',
    ]);
  });
});
