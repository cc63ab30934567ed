// The management API (specs/platform) as an Express app, no listen and no env: requests are authenticated and
// authorised from the spec's policies, validated against the spec, and dispatched by operationId.
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { ProblemError } from '../../../internal/src/problem/problem';
import { createServiceApp, type OperationHandler } from '../../../internal/src/http/service-app';
import { serverBasePath } from '../../../internal/src/http/spec-operations';
import { authenticate } from './auth/authenticate';
import { loadOperationPolicies } from './auth/operation-policies';
import type { PortalDeps } from './deps';
import { managementOperations } from './operations';

export const PLATFORM_SPEC_PATH = path.resolve(__dirname, '../../../specs/platform/openapi.yaml');

export function createManagementApp(deps: PortalDeps) {
  const policies = loadOperationPolicies(PLATFORM_SPEC_PATH);
  const authenticateRequest = authenticate(deps, policies, serverBasePath(PLATFORM_SPEC_PATH));
  // Responses carry secrets (shown once) and per-member data: no cache may keep them (RFC 9111 §5.2.2.5). JSON is
  // never a document to render or frame: nosniff, and a CSP that allows nothing should a browser open it.
  const noStore: RequestHandler = (req, res, next) => {
    res.set({
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    });
    return authenticateRequest(req, res, next);
  };
  const app = createServiceApp({
    specPath: PLATFORM_SPEC_PATH,
    handlers: guarded(managementOperations(deps)),
    authenticate: noStore,
    logger: deps.logger,
    newId: deps.newId,
    problemBaseUrl: deps.problemBaseUrl,
    maxBodyBytes: deps.maxBodyBytes,
    validateResponses: deps.validateResponses,
    specValidator: deps.specValidator,
  });
  // Behind a TLS-terminating proxy, req.ip, req.protocol and req.secure come from X-Forwarded-* (Express 5).
  app.set('trust proxy', deps.trustProxy);
  return app;
}

/**
 * Fails closed: a handler runs only if authentication ran for the very operation the validator dispatched to it.
 * Should the two routers ever disagree on a path (case, encoding, a trailing slash), the request is refused instead
 * of reaching a handler that assumes a checked caller.
 */
function guarded(handlers: Record<string, OperationHandler>): Record<string, OperationHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([operationId, handler]) => [
      operationId,
      (req: Request, res: Response) => {
        if (res.locals.policy?.operationId !== operationId || res.locals.caller === undefined) {
          throw new ProblemError('route_not_found', `No operation matches ${req.method} ${req.path}.`, {
            internalMessage: `authorisation ran for ${res.locals.policy?.operationId ?? 'nothing'}, dispatch chose ${operationId}`,
          });
        }
        return handler(req, res);
      },
    ]),
  );
}
