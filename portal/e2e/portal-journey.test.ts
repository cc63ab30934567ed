// A new partner's first hour, in a real browser (Debian's chromium): sign up, create a test app and an API key,
// call the gateway with it, find the call in the usage view and the request log; roll the key and watch the old
// one stop when its overlap ends; revoke the new one and watch it stop at once. A screenshot of every page is
// saved under artifacts/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeEachVariant } from '../../gateway/src/e2e/testing/platform-variants';
import { describeWithBrowser, launchBrowser, screenshot, watchForTrouble } from './testing/browser';
import { startPortalPlatform, type PortalPlatform } from './testing/portal-platform';

const PASSWORD = 'a long passphrase for the portal 42';
const XSS_NAME = '<img src=x onerror=alert(1)>';

describeWithBrowser('the developer portal in a browser', () => {
  describeEachVariant('portal journey', (variant) => {
    let platform: PortalPlatform;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let trouble: string[];

    beforeAll(async () => {
      [platform, browser] = await Promise.all([startPortalPlatform(variant), launchBrowser()]);
      context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      trouble = watchForTrouble(page);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await platform?.stop();
    });

    const shot = (name: string) => screenshot(page, `${variant.name}-${name}`);
    const callGateway = (key: string) =>
      fetch(`${platform.gatewayUrl}/crm/v1/customers?limit=5`, { headers: { 'X-API-Key': key } });

    let apiKey = '';
    let appUrl = '';
    let requestId = '';

    test('a visitor is sent to sign-in, and signs up a new partner', async () => {
      await page.goto(`${platform.portalUrl}/apps`);
      await page.waitForURL(/\/login\?returnTo=%2Fapps$/);
      await page.getByRole('heading', { name: 'Sign in to your partner account' }).waitFor();
      await shot('01-login');

      await page.getByRole('link', { name: 'Create a partner account' }).click();
      await page.getByLabel('Company').fill('Jade Pharmacy');
      await page.getByLabel('Your name').fill('Li Wei');
      await page.getByLabel('Work email').fill(`li.wei+${variant.name}@jade.example`);
      await page.getByLabel('Password').fill(PASSWORD);
      await shot('02-signup');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Welcome, Li Wei' }).waitFor();
      await shot('03-overview');
    });

    test('creates a test app whose name is markup: it renders as text, nothing runs', async () => {
      await page.getByRole('link', { name: 'Apps & keys' }).click();
      await page.getByRole('button', { name: 'New app' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New app' });
      await dialog.getByLabel('Name').fill(XSS_NAME);
      await shot('04-new-app');
      await dialog.getByRole('button', { name: 'Create app' }).click();
      await page.waitForURL(/\/apps\/app_[0-9A-Za-z]+$/);
      appUrl = page.url();
      await page.getByRole('heading', { level: 1 }).filter({ hasText: XSS_NAME }).waitFor();
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      await shot('05-app');
    });

    test('creates an API key, shown once with a copy button, listed by prefix…last4', async () => {
      await page.getByRole('button', { name: 'Create API key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create an API key' });
      await dialog.getByLabel('Name').fill('POS till 1');
      await dialog.getByRole('button', { name: 'Create key' }).click();
      const secret = page.getByTestId('new-api-key');
      await secret.waitFor();
      apiKey = await secret.inputValue();
      expect(apiKey).toMatch(/^ptc_test_[0-9A-Za-z]{30,}$/);
      await page.getByRole('button', { name: 'Copy' }).waitFor();
      await page.getByRole('button', { name: 'Use this key for “Try it” in the API docs' }).click();
      await shot('06-key-shown-once');
      await page.getByRole('button', { name: 'Done' }).click();
      const row = page
        .getByRole('table', { name: 'API keys' })
        .getByRole('row')
        .filter({ hasText: 'POS till 1' });
      await expect(row.textContent()).resolves.toContain(`…${apiKey.slice(-4)}`);
      await expect(page.getByRole('table', { name: 'API keys' }).textContent()).resolves.not.toContain(
        apiKey,
      );
      await shot('07-keys');
    });

    test('with the keyboard alone, an OAuth client is created and its secret shown once', async () => {
      await page.goto(`${appUrl}?tab=oauth`);
      await page.getByRole('button', { name: 'Create OAuth client' }).waitFor();
      let focused = '';
      for (let presses = 0; presses < 40 && focused !== 'Create OAuth client'; presses++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`);
      }
      expect(focused).toBe('Create OAuth client');
      await page.keyboard.press('Enter');
      // The dialog focuses its first field; Enter submits the form.
      await page.keyboard.type('Nightly sync');
      await page.keyboard.press('Enter');
      const secret = page.getByTestId('new-client-secret');
      await secret.waitFor();
      expect(await secret.inputValue()).toMatch(/^pto_test_[0-9A-Za-z]{30,}$/);
      await shot('08a-oauth-client-keyboard');
      await page.keyboard.press('Escape');
      await secret.waitFor({ state: 'detached' });
      await page.getByRole('table', { name: 'OAuth clients' }).getByText('Nightly sync').waitFor();
    });

    test('a signing key: added with its secret shown once, then revoked after confirmation', async () => {
      await page.goto(`${appUrl}?tab=signing`);
      await page.getByRole('button', { name: 'Add signing key' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a signing key' });
      await dialog.getByLabel('Name').fill('Billing server');
      await dialog.getByRole('radio', { name: /^HMAC-SHA256/ }).check();
      await dialog.getByRole('button', { name: 'Add key' }).click();
      const secret = page.getByRole('textbox', { name: 'HMAC secret' });
      await secret.waitFor();
      expect((await secret.inputValue()).length).toBeGreaterThanOrEqual(32);
      await shot('08b-signing-key-shown-once');
      await page.getByRole('button', { name: 'Done' }).click();
      const row = page
        .getByRole('table', { name: 'Signing keys' })
        .getByRole('row')
        .filter({ hasText: 'Billing server' });
      await row.getByRole('button', { name: 'Revoke Billing server' }).click();
      await page
        .getByRole('dialog', { name: 'Revoke “Billing server”?' })
        .getByRole('button', { name: 'Revoke key' })
        .click();
      await row.getByText('revoked').waitFor();
      await shot('08c-signing-keys');
    });

    test('the key calls the gateway, and the call appears in the usage view and the request log', async () => {
      const answer = await callGateway(apiKey);
      expect(answer.status).toBe(200);
      requestId = answer.headers.get('x-request-id') ?? '';
      expect(requestId).not.toBe('');

      await page.goto(`${appUrl}?tab=usage`);
      const totals = page.getByTestId('usage-totals');
      // The gateway's meter writes about once a second: refresh until the call is counted.
      let counted = '';
      for (let attempt = 0; attempt < 40 && !/Requests1Errors/.test(counted); attempt++) {
        await page.getByRole('button', { name: 'Refresh usage' }).click();
        await page.waitForTimeout(500);
        counted = (await totals.textContent()) ?? '';
      }
      expect(counted).toMatch(/^Requests1Errors0/);
      await page.getByRole('table', { name: 'Usage by operation' }).getByText('listCustomers').waitFor();
      await shot('08-app-usage');

      await page.getByRole('link', { name: 'Request log' }).click();
      await page.getByLabel('Request id').fill(requestId);
      await page.getByRole('button', { name: 'Search' }).click();
      const row = page.locator(`tr[data-request-id="${requestId}"]`);
      await row.waitFor();
      await expect(row.textContent()).resolves.toMatch(/200.*GET \/crm\/v1\/customers.*listCustomers/);
      await shot('09-request-log');

      await page.getByRole('link', { name: 'Usage' }).click();
      await page.getByRole('heading', { name: 'Usage', level: 1 }).waitFor();
      await shot('10-usage');
    });

    test('the API reference is authorized with that test key, and "Try it" calls the gateway', async () => {
      await page.goto(`${platform.portalUrl}/docs/api/crm`);
      await page.getByText(`Requests are authorized with a temporary test key ending in`).waitFor();
      const operation = page.locator('#operations-Customers-listCustomers');
      await operation.locator('.opblock-summary').first().click();
      await operation.getByRole('button', { name: 'Try it out' }).click();
      const answered = page.waitForResponse((r) =>
        r.url().startsWith(`${platform.gatewayUrl}/crm/v1/customers`),
      );
      await operation.getByRole('button', { name: 'Execute' }).click();
      const answer = await answered;
      expect(answer.status()).toBe(200);
      expect(answer.request().headers()['x-api-key']).toBe(apiKey);
      const shown = operation.locator('.live-responses-table tbody .response-col_status').first();
      await shown.waitFor();
      expect((await shown.innerText()).trim()).toBe('200');
      await shot('10a-docs-try-it');
    });

    test('after a roll with a 1 h overlap, the old key works until the overlap ends, then stops', async () => {
      await page.goto(`${appUrl}?tab=keys`);
      await page.getByRole('button', { name: 'Roll POS till 1' }).click();
      const dialog = page.getByRole('dialog', { name: 'Roll “POS till 1”' });
      await dialog.getByLabel('Overlap').selectOption({ label: 'Keep the old key for 1 hour' });
      await dialog.getByRole('button', { name: 'Roll key' }).click();
      const secret = page.getByTestId('new-api-key');
      await secret.waitFor();
      const rolledKey = await secret.inputValue();
      await shot('11-rolled');
      await page.getByRole('button', { name: 'Done' }).click();

      expect((await callGateway(apiKey)).status).toBe(200);
      expect((await callGateway(rolledKey)).status).toBe(200);
      platform.clock.advance(60 * 60 * 1000 + 1000);
      expect((await callGateway(apiKey)).status).toBe(401);
      expect((await callGateway(rolledKey)).status).toBe(200);
      apiKey = rolledKey;
    });

    test('a revoked key stops at once', async () => {
      await page.reload();
      const keys = page.getByRole('table', { name: 'API keys' });
      const active = keys.getByRole('row').filter({ hasText: `…${apiKey.slice(-4)}` });
      await active.getByRole('button', { name: /^Revoke/ }).click();
      const confirm = page.getByRole('dialog', { name: /^Revoke/ });
      await shot('12-revoke-confirm');
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect((await callGateway(apiKey)).status).toBe(401);
      await active.getByText('revoked').waitFor();
      await shot('13-revoked');
    });

    test('the other pages render: team, settings, docs', async () => {
      await page.getByRole('link', { name: 'Team' }).click();
      await page.getByRole('table', { name: 'Members' }).waitFor();
      await shot('14-team');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
      await shot('15-settings');
      for (const [name, path] of [
        ['16-docs', '/docs'],
        ['17-docs-getting-started', '/docs/getting-started'],
        ['18-docs-crm', '/docs/api/crm'],
        ['19-docs-platform', '/docs/api/platform'],
        ['20-docs-signing', '/docs/signing'],
        ['21-docs-problem', '/docs/problems/unauthenticated'],
      ] as const) {
        const answer = await page.goto(`${platform.portalUrl}${path}`);
        expect(answer?.status()).toBe(200);
        await page.waitForLoadState('networkidle');
        await shot(name);
      }
    });

    test("a problem document's type URL, from the gateway or the management API, opens its page here", async () => {
      const refused = await callGateway('ptc_test_000000000000000000000000000000');
      expect(refused.status).toBe(401);
      const typeOf = async (answer: Response) => ((await answer.json()) as { type: string }).type;
      const fromGateway = await typeOf(refused);
      const fromPortal = await typeOf(await fetch(`${platform.portalUrl}/api/v1/apps`));
      for (const type of [fromGateway, fromPortal]) {
        expect(type).toBe(`${platform.portalUrl}/docs/problems/unauthenticated`);
        const page = await fetch(type);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Authentication is required');
      }
    });

    test('a live app waits for the operator, shown as such, and becomes active once approved', async () => {
      await page.goto(`${platform.portalUrl}/apps`);
      await page.getByRole('button', { name: 'New app' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'New app' });
      await dialog.getByLabel('Name').fill('Pharmacy POS (live)');
      await dialog.getByRole('radio', { name: /^Live/ }).check();
      await dialog.getByRole('button', { name: 'Create app' }).click();
      await page.getByText('This live app is waiting for the operator’s approval.').waitFor();
      await page.getByRole('heading', { level: 1 }).getByText('awaiting approval').waitFor();
      expect(await page.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
      await shot('14b-live-app-pending');

      const appId = /\/apps\/(app_[0-9A-Za-z]+)/.exec(page.url())![1]!;
      const approved = await fetch(`${platform.portalUrl}/api/v1/operator/apps/${appId}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.operatorToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(approved.status).toBe(200);
      await page.reload();
      await page.getByRole('heading', { level: 1 }).getByText('active').waitFor();
      await page.getByRole('button', { name: 'Create API key' }).waitFor();
      await page.getByRole('link', { name: 'Apps & keys' }).first().click();
      await page.getByRole('table').getByText('Pharmacy POS (live)').waitFor();
      await shot('14c-apps');
    });

    test('the owner invites a developer, who joins from the emailed link with that role', async () => {
      const email = `dev+${variant.name}@jade.example`;
      await page.goto(`${platform.portalUrl}/team`);
      await page.getByRole('button', { name: 'Invite member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Invite a member' });
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Role').selectOption('developer');
      await dialog.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByRole('status').getByText(`Invitation sent to ${email}`).waitFor();
      await page.getByRole('table', { name: 'Members' }).getByText(email).first().waitFor();

      const mail = fs
        .readdirSync(platform.outboxDir)
        .map((name) => fs.readFileSync(path.join(platform.outboxDir, name), 'utf8'))
        .find((text) => text.includes(`To: ${email}`));
      const link = /(http:\/\/\S+\/invitations\/accept#token=pti_[0-9A-Za-z]+)/.exec(mail ?? '')?.[1];
      expect(link).toBeDefined();

      const invited = await (await browser.newContext()).newPage();
      await invited.goto(link!);
      await invited.getByRole('heading', { name: 'Join your team on Portico' }).waitFor();
      // The token leaves the address bar as soon as it is read.
      expect(invited.url()).toBe(`${platform.portalUrl}/invitations/accept`);
      await invited.getByLabel('Your name').fill('Chen Jing');
      await invited.getByLabel('Choose a password').fill(PASSWORD);
      await screenshot(invited, `${variant.name}-14a-accept-invitation`);
      await invited.getByRole('button', { name: 'Join' }).click();
      await invited.getByRole('heading', { name: 'Welcome, Chen Jing' }).waitFor();
      await invited.getByText('developer', { exact: true }).first().waitFor();
      await invited.context().close();

      await page.reload();
      const row = page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: email });
      await row.getByText('active').waitFor();
    });

    test('signing out forgets the try-it key: the docs then ask to sign in', async () => {
      await page.goto(`${platform.portalUrl}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login$/);
      expect(await page.evaluate<string | null>(`sessionStorage.getItem('portico.tryItKey')`)).toBeNull();
      await page.goto(`${platform.portalUrl}/docs/api/crm`);
      await page.getByText('to try requests with your test key.').waitFor();
    });

    test('nothing ran that should not have: no dialog, no page error, no CSP violation', () => {
      expect(trouble).toEqual([]);
    });
  });
});
