// The CRM reference backend as an Express app (no listen, no env): its routes are the operations of specs/crm.
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../../internal/src/clock';
import type { IdGenerator } from '../../../internal/src/ids';
import { headerIdentity } from '../../../internal/src/http/header-identity';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { activityOperations } from './operations/activities';
import { contactOperations } from './operations/contacts';
import { customerOperations } from './operations/customers';
import { leadOperations } from './operations/leads';
import { opportunityOperations } from './operations/opportunities';
import type { CrmTables } from './store/schema';

export const CRM_SPEC_PATH = path.resolve(__dirname, '../../../specs/crm/openapi.yaml');

export interface CrmAppDeps {
  db: Kysely<CrmTables>;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  problemBaseUrl: string;
  maxBodyBytes: number;
  validateResponses?: boolean;
}

export function createCrmApp(deps: CrmAppDeps) {
  const storeDeps = { db: deps.db, clock: deps.clock, newId: deps.newId };
  return createServiceApp({
    specPath: CRM_SPEC_PATH,
    handlers: {
      ...customerOperations(storeDeps),
      ...contactOperations(storeDeps),
      ...leadOperations(storeDeps),
      ...opportunityOperations(storeDeps),
      ...activityOperations(storeDeps),
    },
    authenticate: headerIdentity(),
    logger: deps.logger,
    newId: deps.newId,
    problemBaseUrl: deps.problemBaseUrl,
    maxBodyBytes: deps.maxBodyBytes,
    validateResponses: deps.validateResponses ?? false,
  });
}
