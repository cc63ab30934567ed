// Drives Debian's chromium with playwright-core for the portal's browser tests: no browser download, headless,
// no sandbox (CI runs as root). Without chromium the suite is skipped with the reason in its title — except under
// CI=true, where a missing browser fails the run instead of hiding the suite.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../../internal/src/config';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where screenshots go: artifacts/screenshots at the repository root (ignored by git). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../artifacts/screenshots');

/** `describe` when chromium is there (or CI demands it), else a skipped suite saying why. */
export function describeWithBrowser(title: string, body: () => void): void {
  const { chromiumPath, ci } = loadConfig();
  if (!fs.existsSync(chromiumPath) && !ci) {
    describe.skip(`${title} (skipped: no browser at ${chromiumPath}; apt-get install -y chromium)`, () => {
      test('runs with chromium', () => undefined);
    });
    return;
  }
  describe(title, body);
}

export async function launchBrowser(): Promise<Browser> {
  const { chromiumPath } = loadConfig();
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`CI=true and no browser at ${chromiumPath}: install it with apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, chromiumSandbox: false });
}

/**
 * Watches a page for what must never happen: a JavaScript dialog (an XSS payload's alert), an uncaught error, or a
 * CSP violation. Returns the list, which the test asserts empty at the end.
 */
export function watchForTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on('dialog', (dialog) => {
    trouble.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => trouble.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      trouble.push(`csp: ${message.text()}`);
    }
  });
  return trouble;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
