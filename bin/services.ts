// The services `npm start` runs, in seeding order: CRM first, entitlements (grants reference customers), then
// orders (lines reference customers and packages).
import type { ServiceModule } from '../internal/src/service/service-module';
import { crmService } from '../backends/crm/src/service';
import { entitlementsService } from '../backends/entitlements/src/service';
import { ordersService } from '../backends/orders/src/service';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PLATFORM_SERVICES: ReadonlyArray<ServiceModule<any>> = [
  crmService,
  entitlementsService,
  ordersService,
];
