// The entitlements reference backend as an Express app (no listen, no env): its routes are the operations of
// specs/entitlements (catalogue, packages, grants, redemptions).
import path from 'node:path';
import { headerIdentity } from '../../../internal/src/http/header-identity';
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
    authenticate: headerIdentity(),
    ...appOptionsFrom(deps),
  });
}
