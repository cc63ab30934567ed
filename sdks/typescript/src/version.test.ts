// The SDK names itself to the server: SDK_VERSION is package.json's version, and every request, token requests and
// retries included, carries User-Agent portico-sdk-typescript/<version>.
import fs from 'node:fs';
import path from 'node:path';
import { createPlatform, createPortico, SDK_VERSION } from './index';
import { connectionError, fakeFetch, json } from './testing/fake-fetch';

const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
  version: string;
};

test('SDK_VERSION is the version in sdks/typescript/package.json', () => {
  expect(SDK_VERSION).toBe(packageJson.version);
  expect(SDK_VERSION).toMatch(/^\d+\.\d+\.\d+/);
});

test('every request carries User-Agent portico-sdk-typescript/<version>', async () => {
  const expected = `portico-sdk-typescript/${packageJson.version}`;
  const fetch = fakeFetch((request) =>
    request.url.pathname === '/oauth/token'
      ? json(200, { access_token: 'tok', token_type: 'Bearer', expires_in: 3600 })
      : request.method === 'GET' && fetch.requests.length === 2
        ? connectionError()
        : json(200, {}),
  );
  const portico = createPortico({
    oauth: { clientId: 'cli_1', clientSecret: 's' },
    fetch,
    retry: { baseDelayMs: 1 },
  });
  await portico.crm.getCustomer({ params: { path: { customerId: 'cus_1' } } });
  await createPlatform({ personalToken: 'ptp_1', fetch }).getMe();
  expect(fetch.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
    'POST /oauth/token',
    'GET /crm/v1/customers/cus_1',
    'GET /crm/v1/customers/cus_1',
    'GET /api/v1/me',
  ]);
  for (const request of fetch.requests) expect(request.headers.get('user-agent')).toBe(expected);
});
