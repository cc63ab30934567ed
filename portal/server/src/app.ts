// The management API (specs/platform) as an Express app, no listen and no env: requests are authenticated and
// authorised from the spec's policies, validated against the spec, and dispatched by operationId.
import path from 'node:path';
import type { RequestHandler } from 'express';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { serverBasePath } from '../../../internal/src/http/spec-operations';
import { authenticate } from './auth/authenticate';
import { loadOperationPolicies } from './auth/operation-policies';
import type { PortalDeps } from './deps';
import { managementOperations } from './operations';

export const PLATFORM_SPEC_PATH = path.resolve(__dirname, '../../../specs/platform/openapi.yaml');

export function createManagementApp(deps: PortalDeps) {
  const policies = loadOperationPolicies(PLATFORM_SPEC_PATH);
  const authenticateRequest = authenticate(deps, policies, serverBasePath(PLATFORM_SPEC_PATH));
  // Responses carry secrets (shown once) and per-member data: no cache may keep them (RFC 9111 §5.2.2.5).
  const noStore: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    return authenticateRequest(req, res, next);
  };
  return createServiceApp({
    specPath: PLATFORM_SPEC_PATH,
    handlers: managementOperations(deps),
    authenticate: noStore,
    logger: deps.logger,
    newId: deps.newId,
    problemBaseUrl: deps.problemBaseUrl,
    maxBodyBytes: deps.maxBodyBytes,
    validateResponses: deps.validateResponses,
    specValidator: deps.specValidator,
  });
}
