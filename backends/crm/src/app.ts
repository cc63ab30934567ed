// The CRM reference backend as an Express app (no listen, no env): its routes are the operations of specs/crm.
import path from 'node:path';
import { identityAssertion } from '../../../internal/src/http/identity-assertion-middleware';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { appOptionsFrom, type ServiceDeps } from '../../../internal/src/service/service-module';
import { activityOperations } from './operations/activities';
import { contactOperations } from './operations/contacts';
import { customerOperations } from './operations/customers';
import { leadOperations } from './operations/leads';
import { opportunityOperations } from './operations/opportunities';
import type { CrmTables } from './store/schema';

export const CRM_SPEC_PATH = path.resolve(__dirname, '../../../specs/crm/openapi.yaml');

export type CrmAppDeps = ServiceDeps<CrmTables>;

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
    // Only the gateway's signed word says who is calling (DESIGN.md "Proxying"): the backend cannot be reached
    // around it. The verifier's audience is this backend's name.
    authenticate: identityAssertion({ verifier: deps.identityVerifier }),
    ...appOptionsFrom(deps),
  });
}
