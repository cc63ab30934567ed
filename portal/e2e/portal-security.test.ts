// The portal's browser-facing defences, proven in chromium: a forged POST from another origin is refused (403
// without the CSRF token, even when the browser sends the cookie), the Content-Security-Policy blocks inline
// script, repeated bad sign-ins are throttled (429) and a returnTo pointing off-site leads home.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { describeEachVariant } from '../../gateway/src/e2e/testing/platform-variants';
import { describeWithBrowser, launchBrowser, screenshot } from './testing/browser';
import { startPortalPlatform, type PortalPlatform } from './testing/portal-platform';

const PASSWORD = 'a long passphrase for the portal 42';

/** A page on another origin that auto-submits a form to `action`: the classic CSRF attack. */
function startAttacker(): Promise<{ origin: string; close(): Promise<void>; setAction(url: string): void }> {
  let action = '';
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    // text/plain forms send their body unencoded: it reads as JSON to a server that does not check the type.
    res.end(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${action}">
      <input name='{"name":"forged","environment":"test","scopes":["crm:read"],"x":"' value='"}'></form>
      <script>document.getElementById('f').submit()</script>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        setAction: (url) => {
          action = url;
        },
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

describeWithBrowser('the developer portal’s defences in a browser', () => {
  describeEachVariant('portal security', (variant) => {
    let platform: PortalPlatform;
    let browser: Browser;
    let page: Page;
    let csrfToken = '';

    const signUp = async (email: string) => {
      const answer = await page.request.post(`${platform.portalUrl}/api/v1/signup`, {
        data: { partnerName: 'Amber Clinic', name: 'Ada', email, password: PASSWORD },
        headers: { origin: platform.portalUrl },
      });
      expect(answer.status()).toBe(201);
      csrfToken = (await answer.json()).csrfToken;
    };
    const appNames = async () => {
      const answer = await page.request.get(`${platform.portalUrl}/api/v1/apps`);
      expect(answer.status()).toBe(200);
      return ((await answer.json()).data as Array<{ name: string }>).map((a) => a.name);
    };

    beforeAll(async () => {
      [platform, browser] = await Promise.all([startPortalPlatform(variant), launchBrowser()]);
      page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(10_000);
      await signUp(`ada+${variant.name}@amber.example`);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await platform?.stop();
    });

    test('a forged cross-origin POST carrying the session cookie but no CSRF token is refused with 403', async () => {
      // Same site, another origin (127.0.0.1 on another port): the one case SameSite=Lax does not cover, so the
      // browser sends the cookie and only the CSRF token stands in the way.
      const attacker = await startAttacker();
      try {
        attacker.setAction(`${platform.portalUrl}/api/v1/apps`);
        const refused = page.waitForResponse((r) => r.url() === `${platform.portalUrl}/api/v1/apps`);
        await page.goto(attacker.origin);
        const answer = await refused;
        expect(
          answer.request().headers()['cookie'] ?? (await answer.request().allHeaders())['cookie'],
        ).toMatch(/portico_session=/);
        expect(answer.status()).toBe(403);
        expect(await answer.json()).toMatchObject({ code: 'csrf_failed', status: 403 });
        await screenshot(page, `${variant.name}-security-csrf-403`);
      } finally {
        await attacker.close();
      }
      expect(await appNames()).not.toContain('forged');

      // The same request with the token is accepted: the 403 was the token's doing.
      const allowed = await page.request.post(`${platform.portalUrl}/api/v1/apps`, {
        data: { name: 'with token', environment: 'test', scopes: ['crm:read'] },
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(allowed.status()).toBe(201);
    });

    test('every page carries a CSP without inline script, and the browser enforces it', async () => {
      for (const path of ['/', '/apps', '/login', '/docs', '/docs/api/crm', '/docs/problems/not_found']) {
        const answer = await page.request.get(`${platform.portalUrl}${path}`);
        const csp = answer.headers()['content-security-policy'] ?? '';
        const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
        expect({ path, scriptSrc }).toEqual({ path, scriptSrc: "'self'" });
        expect(csp).toMatch(/frame-ancestors 'none'/);
        expect(answer.headers()['x-content-type-options']).toBe('nosniff');
      }
      await page.goto(`${platform.portalUrl}/apps`);
      await page.getByRole('heading', { name: 'Apps & keys' }).waitFor();
      // Browser code as a string: this file is typed for Node, not the DOM.
      const outcome = await page.evaluate<string>(`new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (e) => resolve('blocked ' + e.violatedDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.append(script);
        setTimeout(() => resolve(window.__inlineRan ? 'ran' : 'silent'), 1000);
      })`);
      expect(outcome).toMatch(/^blocked script-src/);
    });

    test('a returnTo pointing off-site leads home after sign-in', async () => {
      for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
        const context = await browser.newContext();
        const fresh = await context.newPage();
        await fresh.goto(`${platform.portalUrl}/login?returnTo=${encodeURIComponent(returnTo)}`);
        await fresh.getByLabel('Email').fill(`ada+${variant.name}@amber.example`);
        await fresh.getByLabel('Password').fill(PASSWORD);
        await fresh.getByRole('button', { name: 'Sign in' }).click();
        await fresh.getByRole('heading', { name: /^Welcome/ }).waitFor();
        expect(fresh.url()).toBe(`${platform.portalUrl}/`);
        await context.close();
      }
    });

    test('repeated bad sign-ins are throttled with 429, the same for an unknown address', async () => {
      for (const email of [`ada+${variant.name}@amber.example`, `nobody+${variant.name}@amber.example`]) {
        const context = await browser.newContext();
        const fresh = await context.newPage();
        await fresh.goto(`${platform.portalUrl}/login`);
        const statuses: number[] = [];
        fresh.on('response', (r) => {
          if (r.url().endsWith('/api/v1/session') && r.request().method() === 'POST')
            statuses.push(r.status());
        });
        await fresh.getByLabel('Email').fill(email);
        for (let attempt = 0; attempt < 11; attempt++) {
          await fresh.getByLabel('Password').fill(`wrong password number ${attempt}`);
          const answered = fresh.waitForResponse((r) => r.url().endsWith('/api/v1/session'));
          await fresh.getByRole('button', { name: 'Sign in' }).click();
          await answered;
        }
        await fresh.getByRole('alert').getByText('Too many requests').waitFor();
        if (email.startsWith('ada')) await screenshot(fresh, `${variant.name}-security-login-throttled`);
        expect(statuses).toEqual([...Array(10).fill(401), 429]);
        await context.close();
      }
    });
  });
});
