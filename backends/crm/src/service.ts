// The CRM backend as a runnable service module (see internal/src/service/service-module.ts).
import type { ServiceModule } from '../../../internal/src/service/service-module';
import { createCrmApp } from './app';
import { seedCrmDemo } from './seed';
import { crmMigrations } from './store/migrations';
import type { CrmTables } from './store/schema';

export const crmService: ServiceModule<CrmTables> = {
  name: 'crm',
  title: 'CRM',
  basePath: '/crm/v1',
  demoPath: '/customers',
  migrations: crmMigrations,
  createApp: createCrmApp,
  seedDemo: seedCrmDemo,
};
