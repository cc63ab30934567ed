// The docs site at /docs: a home page, getting started, the API reference (Swagger UI), the signing guide and one
// page per problem type. Content is read and rendered once, at start-up; every response carries the portal's
// security headers, and no page has inline script (http/security-headers.ts).
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import { securityHeaders } from '../http/security-headers';
import {
  API_NAMES,
  API_TITLES,
  SWAGGER_UI_FILES,
  referenceBody,
  referenceDocument,
  swaggerInit,
  type ApiName,
} from './api-reference';
import { html } from './html';
import { page } from './layout';
import { createMarkdownRenderer } from './markdown';
import { buildProblemDocs, problemIndexBody, problemPageBody } from './problems';
import { vectorsBody } from './signing';

export interface DocsSiteOptions {
  gatewayPublicUrl: string;
  logger: Logger;
  /** The repository checkout holding docs/ and specs/ (default: this file's). */
  repoRoot?: string;
  /** PORTICO_PROBLEM_BASE_URL, shown as the `type` of each problem (default: this site's /docs/problems/). */
  problemBaseUrl?: string;
}

const DEFAULT_REPO_ROOT = path.resolve(__dirname, '../../../..');
const ASSETS_DIR = path.join(__dirname, 'assets');

export function createDocsSite(options: DocsSiteOptions): express.Router {
  const repoRoot = options.repoRoot ?? DEFAULT_REPO_ROOT;
  const gatewayPublicUrl = options.gatewayPublicUrl.replace(/\/$/, '');
  const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const markdown = createMarkdownRenderer();
  const router = express.Router({ caseSensitive: true, strict: false });

  // Swagger UI writes style attributes and calls the gateway; the other pages need neither.
  const apiPolicy = securityHeaders({ inlineStyle: true, connectTo: [new URL(gatewayPublicUrl).origin] });
  const pagePolicy = securityHeaders();

  const sendPage = (res: express.Response, status: number, body: string) => {
    res.status(status).type('html').set('Cache-Control', 'no-cache').send(body);
  };

  const gettingStarted = markdown.render(read('docs/getting-started.md'), 'docs/getting-started.md');
  const signing = html`<div class="prose">
      ${markdown.render(read('specs/signatures/README.md'), 'specs/signatures/README.md')}
    </div>
    ${vectorsBody(JSON.parse(read('specs/signatures/vectors.json')))}`;
  const problems = buildProblemDocs(read('docs/problems.md'), markdown, 'docs/problems.md');
  const problemBaseUrl = options.problemBaseUrl ?? '/docs/problems/';

  router.use(
    '/assets',
    pagePolicy,
    express.static(ASSETS_DIR, { index: false, fallthrough: true, maxAge: '5m' }),
  );
  const swaggerDist = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  for (const file of SWAGGER_UI_FILES) {
    router.get(`/assets/swagger-ui/${file}`, pagePolicy, (_req, res) => {
      res.set('Cache-Control', 'public, max-age=3600').sendFile(path.join(swaggerDist, file));
    });
  }

  router.get('/', pagePolicy, (req, res) => {
    sendPage(res, 200, page({ title: 'Documentation', path: '/docs', body: homeBody() }));
  });
  router.get('/getting-started', pagePolicy, (req, res) => {
    sendPage(
      res,
      200,
      page({
        title: 'Getting started',
        path: '/docs/getting-started',
        body: html`<div class="prose">${gettingStarted}</div>`,
      }),
    );
  });
  router.get('/signing', pagePolicy, (_req, res) => {
    sendPage(res, 200, page({ title: 'Signing requests', path: '/docs/signing', body: signing }));
  });
  router.get('/problems', pagePolicy, (_req, res) => {
    sendPage(
      res,
      200,
      page({ title: 'Problem types', path: '/docs/problems', body: problemIndexBody(problems) }),
    );
  });
  router.get('/problems/:code', pagePolicy, (req, res) => {
    const entry = problems.byCode.get(String(req.params.code));
    if (!entry) return notFound(req, res);
    sendPage(
      res,
      200,
      page({
        title: `${entry.code} problem`,
        path: `/docs/problems/${entry.code}`,
        body: problemPageBody(entry, problemBaseUrl),
      }),
    );
  });

  for (const name of API_NAMES) {
    const document = referenceDocument(path.join(repoRoot, 'specs'), name, gatewayPublicUrl);
    const json = JSON.stringify(document);
    const body = page({
      title: API_TITLES[name],
      path: `/docs/api/${name}`,
      body: referenceBody(name, document),
      wide: true,
      stylesheets: ['/docs/assets/swagger-ui/swagger-ui.css'],
      scripts: [
        '/docs/assets/swagger-ui/swagger-ui-bundle.js',
        '/docs/assets/swagger-ui/swagger-ui-standalone-preset.js',
        `/docs/api/${name}/swagger-ui-init.js`,
        '/docs/assets/try-it.js',
      ],
    });
    router.get(`/api/${name}`, apiPolicy, (_req, res) => sendPage(res, 200, body));
    router.get(`/api/${name}/openapi.json`, pagePolicy, (_req, res) => {
      res.type('json').set('Cache-Control', 'no-cache').send(json);
    });
    router.get(`/api/${name}/swagger-ui-init.js`, pagePolicy, swaggerInit(document));
  }

  router.use(pagePolicy, (req, res) => notFound(req, res));
  options.logger.debug({ apis: API_NAMES, problems: problems.entries.length }, 'docs site ready');
  return router;

  function notFound(req: express.Request, res: express.Response) {
    sendPage(
      res,
      404,
      page({
        title: 'Page not found',
        path: req.originalUrl,
        body: html`<h1>Page not found</h1>
          <p>There is no documentation page at <code>${req.originalUrl}</code>.</p>
          <p>
            <a href="/docs">Back to the documentation home</a>, or see
            <a href="/docs/problems">all problem types</a>.
          </p>`,
      }),
    );
  }
}

function homeBody() {
  const apis = API_NAMES.map(
    (name: ApiName) => html`<li><a href="/docs/api/${name}">${API_TITLES[name]}</a>${API_BLURBS[name]}</li>`,
  );
  return html`<h1>Portico documentation</h1>
    <p class="lead">
      Everything you need to call the Portico APIs: a five-minute start, the reference of every operation with
      try-it, how to sign requests, and what each error means.
    </p>
    <div class="cards">
      <section class="card" aria-labelledby="start">
        <h2 id="start"><a href="/docs/getting-started">Getting started</a></h2>
        <p>Get a test key, make your first call with curl, then run a TypeScript program.</p>
      </section>
      <section class="card" aria-labelledby="reference">
        <h2 id="reference">API reference</h2>
        <ul>
          ${apis}
        </ul>
      </section>
      <section class="card" aria-labelledby="sign">
        <h2 id="sign"><a href="/docs/signing">Signing requests</a></h2>
        <p>The RFC 9421 HTTP Message Signatures profile, with golden test vectors.</p>
      </section>
      <section class="card" aria-labelledby="problems">
        <h2 id="problems"><a href="/docs/problems">Problem types</a></h2>
        <p>Every error code an API can answer, what it means and what to do about it.</p>
      </section>
    </div>`;
}

const API_BLURBS: Readonly<Record<ApiName, string>> = {
  crm: ': customers, contacts, leads, opportunities, activities.',
  orders: ': orders, payments, refunds.',
  entitlements: ': catalogue, packages, grants, balances, redemptions.',
  platform: ': the management API behind this portal (apps, keys, members, usage).',
};
