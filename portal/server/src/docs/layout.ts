// The one layout of every docs page: a header with the product name and the docs navigation, a skip link, one
// <main>. Only external stylesheets and scripts (the Content-Security-Policy forbids inline script).
import { html, type SafeHtml } from './html';

export const DOCS_NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/docs', label: 'Docs home' },
  { href: '/docs/getting-started', label: 'Getting started' },
  { href: '/docs/api/crm', label: 'CRM API' },
  { href: '/docs/api/orders', label: 'Orders API' },
  { href: '/docs/api/entitlements', label: 'Entitlements API' },
  { href: '/docs/api/platform', label: 'Platform API' },
  { href: '/docs/signing', label: 'Signing' },
  { href: '/docs/problems', label: 'Problems' },
];

export interface PageOptions {
  title: string;
  /** The request path, to mark the current navigation entry. */
  path: string;
  body: SafeHtml;
  stylesheets?: readonly string[];
  /** External scripts, in order, loaded at the end of the body. */
  scripts?: readonly string[];
  /** A wider main column (the API reference). */
  wide?: boolean;
}

export function page(options: PageOptions): string {
  const current = (href: string) =>
    href === '/docs' ? options.path === '/docs' || options.path === '/docs/' : options.path.startsWith(href);
  const nav = DOCS_NAV.map(
    (item) =>
      html`<li>
        <a href="${item.href}" ${current(item.href) ? html` aria-current="page"` : ''}>${item.label}</a>
      </li>`,
  );
  const stylesheets = (options.stylesheets ?? []).map(
    (href) => html`<link rel="stylesheet" href="${href}" />`,
  );
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}"></script>`);
  return html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Portico docs</title>
        ${stylesheets}
        <link rel="stylesheet" href="/docs/assets/docs.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/docs">Portico <span>docs</span></a>
          <nav aria-label="Documentation">
            <ul>
              ${nav}
            </ul>
          </nav>
          <a class="portal-link" href="/">Portal</a>
        </header>
        <main id="main" tabindex="-1" class="${options.wide ? 'content wide' : 'content'}">
          ${options.body}
        </main>
        ${scripts}
      </body>
    </html> `.value;
}
