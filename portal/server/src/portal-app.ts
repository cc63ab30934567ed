// The whole portal on one origin (DESIGN.md "Default addresses"): the management API at /api/v1, the docs at
// /docs and the UI everywhere else. One origin keeps the session cookie SameSite and CSRF checks simple.
import express, { type ErrorRequestHandler } from 'express';
import { problemErrorHandler } from '../../../internal/src/http/error-handler';
import { ProblemError } from '../../../internal/src/problem/problem';
import { createManagementApp } from './app';
import type { PortalDeps } from './deps';
import { createDocsSite } from './docs';
import { createWebSite } from './web';

export interface PortalSite {
  /** The built UI (portal/web's `vite build` output): index.html and assets/. */
  webRoot: string;
  /** Where callers reach the gateway, e.g. http://127.0.0.1:8080: the docs' try-it sends requests there. */
  gatewayPublicUrl: string;
}

export function createPortalApp(deps: PortalDeps, site: PortalSite): express.Express {
  const management = createManagementApp(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(function managementApi(req, res, next) {
    if (req.path === '/api' || req.path.startsWith('/api/')) return management(req, res, next);
    // `/API/v1/…`, `/apiv1`: never an app page (a 200 HTML answer would confuse scripts and caches).
    if (/^\/api/i.test(req.path)) {
      return next(new ProblemError('route_not_found', `No operation matches ${req.method} ${req.path}.`));
    }
    return next();
  });
  app.use(
    '/docs',
    createDocsSite({
      gatewayPublicUrl: site.gatewayPublicUrl,
      problemBaseUrl: deps.problemBaseUrl,
      logger: deps.logger,
    }),
  );
  app.use(
    createWebSite({ webRoot: site.webRoot, gatewayPublicUrl: site.gatewayPublicUrl, logger: deps.logger }),
  );
  app.use((req, _res, next) =>
    next(new ProblemError('route_not_found', `No page or operation matches ${req.method} ${req.path}.`)),
  );
  app.use(fromStaticFileErrors);
  app.use(problemErrorHandler({ problemBaseUrl: deps.problemBaseUrl }));
  return app;
}

/**
 * Static file serving fails with bare HTTP errors (a malformed %-escape 400, a `..` path 403, a missing asset
 * 404). Express's default handler would answer them with an HTML stack trace outside production; they become
 * problem documents like every other refusal, and a traversal attempt is told only that nothing is there.
 */
const fromStaticFileErrors: ErrorRequestHandler = (error, req, _res, next) => {
  if (error instanceof ProblemError) return next(error);
  const { status, statusCode } = (error ?? {}) as { status?: number; statusCode?: number };
  if ((status ?? statusCode) === 400 || error instanceof URIError) {
    return next(new ProblemError('validation_failed', 'The path is not a valid URL path.', { cause: error }));
  }
  if ((status ?? statusCode) === 403 || (status ?? statusCode) === 404) {
    return next(new ProblemError('route_not_found', `Nothing is at ${req.path}.`, { cause: error }));
  }
  return next(error);
};
