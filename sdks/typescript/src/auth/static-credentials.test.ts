// API keys through createPortico and an injected fetch (X-API-Key on every attempt, malformed keys refused before
// any request), and the rule that a Portico client carries exactly one credential.
import { createPortico, type PorticoCredential } from '../portico';
import { connectionError, fakeFetch, json, problem } from '../testing/fake-fetch';

describe('apiKey', () => {
  test('is sent as X-API-Key on every attempt and nothing else authenticates', async () => {
    const fetch = fakeFetch([connectionError(), problem(503, 'unavailable'), json(200, {})]);
    const client = createPortico({ apiKey: 'ptc_live_01HZX9', fetch, retry: { baseDelayMs: 1 } });
    await client.crm.getCustomer({ params: { path: { customerId: 'cus_1' } } });
    expect(fetch.requests.map((r) => r.headers.get('x-api-key'))).toEqual(Array(3).fill('ptc_live_01HZX9'));
    expect(fetch.requests.some((r) => r.headers.has('authorization') || r.headers.has('signature'))).toBe(
      false,
    );
  });

  test.each([
    '',
    'abc',
    'ptc_prod_123',
    'ptc_test_',
    'ptc_test_a-b',
    'ptc_test_abc ',
    'PTC_TEST_abc',
    'sk_live_x',
  ])('a malformed key %p is refused at construction', (apiKey) => {
    expect(() => createPortico({ apiKey, fetch: fakeFetch([]) })).toThrow(
      new TypeError('apiKey: expected a Portico API key (ptc_test_… or ptc_live_…)'),
    );
  });
});

describe('exactly one credential', () => {
  const signing = { keyId: 'sig_1', algorithm: 'hmac-sha256', secret: 'pts_test_x' } as const;
  const oauth = { clientId: 'cli_1', clientSecret: 'sec' };

  // JavaScript callers can pass any mix; the types refuse these (see types.test.ts).
  test.each<[string, Record<string, unknown>]>([
    ['none', {}],
    ['apiKey and oauth', { apiKey: 'ptc_test_1', oauth }],
    ['apiKey and signing', { apiKey: 'ptc_test_1', signing }],
    ['oauth and signing', { oauth, signing }],
    ['all three', { apiKey: 'ptc_test_1', oauth, signing }],
  ])('%s is refused', (_, credentials) => {
    expect(() => createPortico({ fetch: fakeFetch([]), ...credentials } as never)).toThrow(
      /give exactly one credential/,
    );
  });

  test.each<[string, PorticoCredential]>([
    ['apiKey', { apiKey: 'ptc_test_1' }],
    ['oauth', { oauth }],
    ['signing', { signing }],
  ])('%s alone is accepted', (_, credentials) => {
    expect(() => createPortico({ fetch: fakeFetch([]), ...credentials })).not.toThrow();
  });
});
