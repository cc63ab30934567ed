// Serves the built portal UI (portal/web → `vite build`): hashed assets cached for a year, and index.html for
// every page path, so /apps/app_1 can be reloaded or bookmarked. index.html gets the installation's facts as
// <meta> tags (the CSP forbids inline script, so no config is injected as code).
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import { escapeHtml } from '../http/escape-html';
import { securityHeaders } from '../http/security-headers';

export interface WebSiteOptions {
  /** The `vite build` output: index.html, assets/, favicon.svg. */
  webRoot: string;
  /** Shown in the UI's snippets and used by nothing else. */
  gatewayPublicUrl: string;
  logger: Logger;
}

const ONE_YEAR_S = 31_536_000;

export function createWebSite(options: WebSiteOptions): express.Router {
  const router = express.Router();
  router.use(securityHeaders());
  // Vite names assets by content hash: a new build gets new names, so these never go stale (RFC 8246 immutable).
  router.use(
    '/assets',
    express.static(path.join(options.webRoot, 'assets'), {
      index: false,
      fallthrough: false,
      setHeaders: (res) => res.set('Cache-Control', `public, max-age=${ONE_YEAR_S}, immutable`),
    }),
  );
  // index.html itself is never served as a file: it is the page below, with its <meta> tags and no caching.
  router.use((req, res, next) => (req.path === '/index.html' ? serveApp(req, res, next) : next()));
  router.use(express.static(options.webRoot, { index: false, redirect: false }));
  const indexFile = path.join(options.webRoot, 'index.html');
  let page: { html: string; mtimeMs: number } | undefined;
  const indexHtml = (): string | undefined => {
    try {
      // A rebuild (npm run portal:build while running) names new assets: serve the index that points at them.
      const { mtimeMs } = fs.statSync(indexFile);
      if (page?.mtimeMs === mtimeMs) return page.html;
      const raw = fs.readFileSync(indexFile, 'utf8');
      const meta = `<meta name="portico:gateway-url" content="${escapeHtml(options.gatewayPublicUrl)}" />`;
      // A function replacement: `$&` or `$'` in the URL must stay literal.
      page = { html: raw.replace('<head>', () => `<head>\n    ${meta}`), mtimeMs };
      return page.html;
    } catch (error) {
      options.logger.error({ err: error, webRoot: options.webRoot }, 'the portal UI is not built');
      return undefined;
    }
  };
  function serveApp(req: express.Request, res: express.Response, next: express.NextFunction) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const html = indexHtml();
    res.set('Cache-Control', 'no-cache');
    if (html === undefined) {
      res
        .status(503)
        .type('text/plain')
        .send('The portal UI has not been built. `npm start` builds it (or run `npm run portal:build`).\n');
      return;
    }
    res.type('html').send(html);
  }
  router.use(serveApp);
  return router;
}
