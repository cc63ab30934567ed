// The entitlements backend as a runnable service module (see internal/src/service/service-module.ts). It seeds after
// the CRM (grants reference a customer) and before orders (order lines reference packages).
import type { ServiceModule } from '../../../internal/src/service/service-module';
import { createEntitlementsApp } from './app';
import { seedEntitlementsDemo } from './seed';
import { entitlementsMigrations } from './store/migrations';
import type { EntitlementsTables } from './store/schema';

export const entitlementsService: ServiceModule<EntitlementsTables> = {
  name: 'entitlements',
  title: 'Entitlements',
  basePath: '/entitlements/v1',
  demoPath: '/packages',
  migrations: entitlementsMigrations,
  createApp: createEntitlementsApp,
  seedDemo: seedEntitlementsDemo,
};
