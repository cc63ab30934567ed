// The UI's server side, in the whole portal app on a real server: every page path answers the app (index.html with
// the installation's <meta> tags, never cached), under the strict CSP; a rebuilt UI is picked up; nothing else —
// a missing asset, a traversal, a malformed path, an /API look-alike — answers anything but a problem document,
// and never a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../../../internal/src/http/start-server';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { createPortalApp } from '../portal-app';
import { startTestPortal, type TestPortal } from '../testing/portal-harness';

const INDEX = (asset: string) =>
  `<!doctype html>\n<html lang="en">\n  <head>\n    <script type="module" src="/assets/${asset}"></script>\n  </head>\n  <body><div id="root"></div></body>\n</html>\n`;

describeEachStore('portal web site', (store) => {
  let portal: TestPortal;
  let server: RunningServer;
  let webRoot: string;

  beforeAll(async () => {
    portal = await startTestPortal(store);
    webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-web-test-'));
    fs.mkdirSync(path.join(webRoot, 'assets'));
    fs.writeFileSync(path.join(webRoot, 'index.html'), INDEX('index-aaa.js'));
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-aaa.js'), 'console.log(1)');
    fs.writeFileSync(path.join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    // `$&` and `$'` would be expanded by a string replacement: the URL must land in the page as written.
    server = await startServer(
      createPortalApp(portal.deps, { webRoot, gatewayPublicUrl: 'https://gw.example/$&$\'"<x>' }),
      { host: '127.0.0.1', port: 0 },
    );
  });

  afterAll(async () => {
    await server?.close();
    await portal?.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  });

  const get = (p: string, init?: RequestInit) => fetch(`${server.baseUrl}${p}`, init);

  test.each([
    '/',
    '/apps',
    '/apps/app_1?tab=keys',
    '/login?returnTo=%2Fapps',
    '/index.html',
    '/no/such/page',
  ])('GET %s answers the app with its meta tags, uncached, under a CSP without inline script', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(/script-src ([^;]*)/.exec(csp)?.[1]).toBe("'self'");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain(
      '<meta name="portico:gateway-url" content="https://gw.example/$&amp;$&#39;&quot;&lt;x&gt;" />',
    );
    expect(html).toContain('/assets/index-aaa.js');
  });

  test('hashed assets are cached for good; other files are served with the same headers', async () => {
    const asset = await get('/assets/index-aaa.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('/favicon.svg')).status).toBe(200);
  });

  test.each([
    ['/assets/nope.js', 404, 'route_not_found'],
    ['/assets/..%2f..%2findex.html', 404, 'route_not_found'],
    ['/assets/%E0%A4%A', 400, 'validation_failed'],
    ['/docs/problems/%E0%A4%A', 400, 'validation_failed'],
    ['/API/v1/apps', 404, 'route_not_found'],
    ['/apiv1', 404, 'route_not_found'],
  ])('%s → %i %s as problem+json, without a stack trace', async (p, status, code) => {
    const res = await get(p);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status, code });
    expect(text).not.toMatch(/node_modules|\/work\/|at .*\(/);
  });

  test('a page path answers only GET and HEAD', async () => {
    expect((await get('/apps', { method: 'HEAD' })).status).toBe(200);
    const post = await get('/apps', { method: 'POST' });
    expect(post.status).toBe(404);
    expect(post.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  test('the management API answers with nosniff and a CSP that allows nothing', async () => {
    const res = await get('/api/v1/session');
    expect(res.status).toBe(401);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  test('a rebuild while running is served at once: the new index points at the new assets', async () => {
    fs.writeFileSync(path.join(webRoot, 'assets', 'index-bbb.js'), 'console.log(2)');
    fs.writeFileSync(path.join(webRoot, 'index.html'), INDEX('index-bbb.js'));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(webRoot, 'index.html'), later, later);
    expect(await (await get('/apps')).text()).toContain('/assets/index-bbb.js');
  });

  test('without a built UI the portal says how to build it (503), and the API still works', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-web-none-'));
    const bare = await startServer(
      createPortalApp(portal.deps, { webRoot: empty, gatewayPublicUrl: 'http://gw' }),
      {
        host: '127.0.0.1',
        port: 0,
      },
    );
    try {
      const page = await fetch(`${bare.baseUrl}/apps`);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/npm start/);
      expect((await fetch(`${bare.baseUrl}/api/v1/session`)).status).toBe(401);
    } finally {
      await bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
