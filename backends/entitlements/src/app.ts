// The entitlements reference backend as an Express app (no listen, no env): its routes are the operations of
// specs/entitlements (catalogue, packages, grants, redemptions).
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../../internal/src/clock';
import type { IdGenerator } from '../../../internal/src/ids';
import { headerIdentity } from '../../../internal/src/http/header-identity';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { grantOperations } from './operations/grants';
import { itemOperations } from './operations/items';
import { packageOperations } from './operations/packages';
import { redemptionOperations } from './operations/redemptions';
import type { EntitlementsTables } from './store/schema';

export const ENTITLEMENTS_SPEC_PATH = path.resolve(__dirname, '../../../specs/entitlements/openapi.yaml');

export interface EntitlementsAppDeps {
  db: Kysely<EntitlementsTables>;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  problemBaseUrl: string;
  maxBodyBytes: number;
  validateResponses?: boolean;
}

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
    logger: deps.logger,
    newId: deps.newId,
    problemBaseUrl: deps.problemBaseUrl,
    maxBodyBytes: deps.maxBodyBytes,
    validateResponses: deps.validateResponses ?? false,
  });
}
