// Starts the CRM backend for a test on a given store engine.
import type { Clock } from '../../../internal/src/clock';
import type { Identity } from '../../../internal/src/http/locals';
import { startTestService } from '../../../internal/src/testing/service-harness';
import type { TestStore } from '../../../internal/src/testing/test-store';
import { CRM_SPEC_PATH, createCrmApp } from './app';
import { crmMigrations } from './store/migrations';
import type { CrmTables } from './store/schema';

export function startCrm(store: TestStore, options: { clock?: Clock; identity?: Identity } = {}) {
  return startTestService<CrmTables>(store, {
    service: 'crm',
    specPath: CRM_SPEC_PATH,
    migrations: crmMigrations,
    createApp: createCrmApp,
    ...options,
  });
}
