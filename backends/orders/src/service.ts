// The Orders backend as a runnable service module (see internal/src/service/service-module.ts). It seeds last: order
// lines reference the CRM's customers and the entitlements' packages.
import type { ServiceModule } from '../../../internal/src/service/service-module';
import { createOrdersApp } from './app';
import { seedOrdersDemo } from './seed';
import { ordersMigrations } from './store/migrations';
import type { OrdersTables } from './store/schema';

export const ordersService: ServiceModule<OrdersTables> = {
  name: 'orders',
  title: 'Orders',
  basePath: '/orders/v1',
  demoPath: '/orders',
  migrations: ordersMigrations,
  createApp: createOrdersApp,
  seedDemo: seedOrdersDemo,
};
