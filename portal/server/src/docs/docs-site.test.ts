// The docs site inside the whole portal app, on a real server: every page is HTML under a CSP without inline
// script and has none, each API page embeds its own spec (not the last one mounted) pointing at the gateway, and
// every problem code of the catalog has its page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { problemCatalog } from '../../../../internal/src/problem/catalog';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { createPortalApp } from '../portal-app';
import { startTestPortal, type TestPortal } from '../testing/portal-harness';
import { scriptViolations } from './testing/script-audit';

const GATEWAY_URL = 'https://gateway.docs.test:8443';

const PAGES = [
  '/docs',
  '/docs/getting-started',
  '/docs/signing',
  '/docs/problems',
  '/docs/api/crm',
  '/docs/api/orders',
  '/docs/api/entitlements',
  '/docs/api/platform',
  ...Object.keys(problemCatalog).map((code) => `/docs/problems/${code}`),
];

/** The `options` object swagger-ui-express writes into swagger-ui-init.js (`var options = {...};`). */
function initOptions(script: string): { swaggerDoc: { paths: object; servers: Array<{ url: string }> } } {
  const start = script.indexOf('var options = ');
  const end = script.indexOf('\n  url = options.swaggerUrl');
  expect(start).toBeGreaterThan(-1);
  const literal = script
    .slice(start + 'var options = '.length, end)
    .trim()
    .replace(/;$/, '');
  // The options hold a serialized function (the request interceptor), so this is JavaScript, not JSON.
  return new Function(`return (${literal});`)() as ReturnType<typeof initOptions>;
}

describeEachStore('docs site', (store) => {
  let portal: TestPortal;
  let server: RunningServer;
  let webRoot: string;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-docs-web-'));
    server = await startServer(createPortalApp(portal.deps, { webRoot, gatewayPublicUrl: GATEWAY_URL }));
  });
  afterAll(async () => {
    await server.close();
    await portal.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  const get = (pathname: string) => fetch(`${server.baseUrl}${pathname}`);

  test.each(PAGES)('%s is an HTML page under a CSP without inline script, and has none', async (pathname) => {
    const response = await get(pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src '));
    expect(scriptSrc).toBe("script-src 'self'");
    const body = await response.text();
    expect(scriptViolations(body)).toEqual([]);
    expect(body).toMatch(/^<!DOCTYPE html>\s*<html lang="en">/);
    expect(body).toContain('<a class="skip-link" href="#main">');
    expect(body).toContain('href="/docs/assets/docs.css"');
    expect(body.match(/<h1[ >]/g)).toHaveLength(1);
  });

  test('the API pages may call the gateway and use inline style (Swagger UI); the other pages neither', async () => {
    const api = (await get('/docs/api/crm')).headers.get('content-security-policy')!;
    expect(api).toContain(`connect-src 'self' ${GATEWAY_URL}`);
    expect(api).toContain("style-src 'self' 'unsafe-inline'");
    const plain = (await get('/docs/getting-started')).headers.get('content-security-policy')!;
    expect(plain).toContain("connect-src 'self';");
    expect(plain).toContain("style-src 'self';");
  });

  test.each([
    ['crm', '/customers', `${GATEWAY_URL}/crm/v1`],
    ['orders', '/orders', `${GATEWAY_URL}/orders/v1`],
    ['entitlements', '/grants', `${GATEWAY_URL}/entitlements/v1`],
    ['platform', '/apps', '/api/v1'],
  ])(
    'the %s page loads its own spec (with %s), every common $ref made local, servers at %s',
    async (name, aPath, server) => {
      const page = await (await get(`/docs/api/${name}`)).text();
      expect(page).toContain(`<script src="/docs/api/${name}/swagger-ui-init.js"></script>`);
      expect(page).toContain('<script src="/docs/assets/try-it.js"></script>');
      const response = await get(`/docs/api/${name}/swagger-ui-init.js`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      const script = await response.text();
      const options = initOptions(script);
      expect(Object.keys(options.swaggerDoc.paths)).toContain(aPath);
      expect(options.swaggerDoc.servers).toEqual([expect.objectContaining({ url: server })]);
      // Not another page's spec (STACK.md pitfall 10): the platform's paths appear on the platform page only.
      expect('/partner' in options.swaggerDoc.paths).toBe(name === 'platform');
      expect(script).not.toContain('../common/');
      expect(script).toContain('porticoTryIt');
    },
  );

  test('Swagger UI assets are served, the rest of swagger-ui-dist (its Petstore index) is not', async () => {
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui.css']) {
      expect((await get(`/docs/assets/swagger-ui/${file}`)).status).toBe(200);
    }
    expect((await get('/docs/assets/swagger-ui/index.html')).status).toBe(404);
    expect((await get('/docs/assets/swagger-ui/swagger-initializer.js')).status).toBe(404);
    expect((await get('/docs/assets/try-it.js')).status).toBe(200);
    const css = await get('/docs/assets/docs.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  test('an unknown problem code and an unknown docs path answer a 404 HTML page', async () => {
    for (const pathname of ['/docs/problems/no_such_code', '/docs/nowhere', '/docs/problems/<script>']) {
      const response = await get(pathname);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const body = await response.text();
      expect(body).toContain('Page not found');
      expect(body).not.toContain('<script>');
    }
  });

  test('a problem page shows its status, title and section of docs/problems.md', async () => {
    const body = await (await get('/docs/problems/rate_limited')).text();
    expect(body).toContain('<code>rate_limited</code>');
    expect(body).toContain('<dd>429</dd>');
    expect(body).toContain(problemCatalog.rate_limited.title);
    expect(body).toContain('Retry-After');
    const index = await (await get('/docs/problems')).text();
    for (const code of Object.keys(problemCatalog)) expect(index).toContain(`href="/docs/problems/${code}"`);
  });

  test('links to repository files become docs pages or plain text', async () => {
    const body = await (await get('/docs/getting-started')).text();
    expect(body).toContain('href="/docs/api/crm"');
    expect(body).toContain('href="/docs/problems"');
    expect(body).toContain('href="/docs/signing"');
    expect(body).not.toMatch(/href="\.\.\//);
    expect(body).toContain('<code>examples/quickstart.ts</code> in the repository');
  });

  test('the signing guide lists every golden vector with its expected outcome', async () => {
    const vectors = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../../specs/signatures/vectors.json'), 'utf8'),
    ) as { vectors: Array<{ name: string }> };
    const body = await (await get('/docs/signing')).text();
    expect(body).toContain('id="vectors"');
    for (let i = 1; i <= vectors.vectors.length; i++) expect(body).toContain(`id="vector-${i}"`);
  });
});
