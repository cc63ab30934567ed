// The API reference pages (/docs/api/<name>): Swagger UI over each bundled spec, with `servers` pointing where the
// reader's try-it requests must go — the gateway for the public APIs, this portal for the platform API. Each page
// gets its own swagger-ui-init.js from `serveFiles` (the shared `serve` would show the last spec on every page).
import path from 'node:path';
import type express from 'express';
import swaggerUi from 'swagger-ui-express';
import { html } from './html';
import { bundleSpec } from './bundle-spec';

export type ApiName = 'crm' | 'orders' | 'entitlements' | 'platform';
export const API_NAMES: readonly ApiName[] = ['crm', 'orders', 'entitlements', 'platform'];

export const API_TITLES: Readonly<Record<ApiName, string>> = {
  crm: 'CRM API',
  orders: 'Orders API',
  entitlements: 'Entitlements API',
  platform: 'Platform API',
};

/** The Swagger UI files the pages load; nothing else of swagger-ui-dist (its index.html shows the Petstore). */
export const SWAGGER_UI_FILES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
] as const;

/**
 * Runs in the browser, serialized into swagger-ui-init.js by swagger-ui-express: hands each try-it request to
 * /docs/assets/try-it.js, which adds the CSRF token to the platform API's unsafe requests. Self-contained on
 * purpose — only its source text reaches the page.
 */
function porticoRequestInterceptor(request: object): object {
  const tryIt = (globalThis as { porticoTryIt?: { intercept?: (r: object) => object } }).porticoTryIt;
  return tryIt && tryIt.intercept ? tryIt.intercept(request) : request;
}

/** The spec as the page shows it: common $refs resolved, servers replaced by where this installation answers. */
export function referenceDocument(
  specsDir: string,
  name: ApiName,
  gatewayPublicUrl: string,
): Record<string, unknown> {
  const doc = bundleSpec(path.join(specsDir, name, 'openapi.yaml'));
  const servers = (doc.servers ?? []) as Array<{ url: string }>;
  // Keep the path of the spec's own server (/crm/v1, /api/v1): that is where the API lives on any host.
  const basePath = servers[0] ? new URL(servers[0].url, 'http://x').pathname.replace(/\/$/, '') : '';
  doc.servers =
    name === 'platform'
      ? [{ url: basePath, description: 'This portal (your session signs the requests).' }]
      : [{ url: `${gatewayPublicUrl}${basePath}`, description: 'The Portico gateway.' }];
  return doc;
}

/** GET /docs/api/<name>/swagger-ui-init.js: this page's spec and options, as an external script. */
export function swaggerInit(document: Record<string, unknown>): express.RequestHandler {
  const [init] = swaggerUi.serveFiles(document, {
    swaggerOptions: {
      // No Swagger topbar (its URL box would load any spec into the page).
      layout: 'BaseLayout',
      deepLinking: true,
      displayRequestDuration: true,
      persistAuthorization: false,
      tryItOutEnabled: false,
      requestInterceptor: porticoRequestInterceptor,
    },
  }) as express.RequestHandler[];
  return init!;
}

export function referenceBody(name: ApiName, document: Record<string, unknown>) {
  const info = (document.info ?? {}) as { title?: string; version?: string };
  const target = name === 'platform' ? 'session' : 'gateway';
  return html`<h1>${API_TITLES[name]}</h1>
    <p class="lead">
      ${info.title ?? API_TITLES[name]}, version ${info.version ?? ''}. Download the
      <a href="/docs/api/${name}/openapi.json">OpenAPI document</a>.
    </p>
    <div id="try-it" class="try-it" data-api="${name}" data-target="${target}" aria-live="polite"></div>
    <div id="swagger-ui" class="swagger-host"></div>`;
}
