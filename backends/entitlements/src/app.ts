// The entitlements reference backend as an Express app (no listen, no env): its routes are the operations of
// specs/entitlements (catalogue, packages, grants, redemptions).
import path from 'node:path';
import { identityAssertion } from '../../../internal/src/http/identity-assertion-middleware';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { appOptionsFrom, type ServiceDeps } from '../../../internal/src/service/service-module';
import { grantOperations } from './operations/grants';
import { itemOperations } from './operations/items';
import { packageOperations } from './operations/packages';
import { redemptionOperations } from './operations/redemptions';
import type { EntitlementsTables } from './store/schema';

export const ENTITLEMENTS_SPEC_PATH = path.resolve(__dirname, '../../../specs/entitlements/openapi.yaml');

export type EntitlementsAppDeps = ServiceDeps<EntitlementsTables>;

export function createEntitlementsApp(deps: EntitlementsAppDeps) {
  const storeDeps = { db: deps.db, clock: deps.clock, newId: deps.newId };
  return createServiceApp({
    specPath: ENTITLEMENTS_SPEC_PATH,
    handlers: {
      ...itemOperations(storeDeps),
      ...packageOperations(storeDeps),
      ...grantOperations(storeDeps),
      ...redemptionOperations(storeDeps),
    },
    // Only the gateway's signed word says who is calling (DESIGN.md "Proxying"): the backend cannot be reached
    // around it. The verifier's audience is this backend's name.
    authenticate: identityAssertion({ verifier: deps.identityVerifier }),
    ...appOptionsFrom(deps),
  });
}
