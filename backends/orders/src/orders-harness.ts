// Starts the Orders backend for a test on a given store engine.
import type { Clock } from '../../../internal/src/clock';
import type { Identity } from '../../../internal/src/http/locals';
import { startTestService } from '../../../internal/src/testing/service-harness';
import type { TestStore } from '../../../internal/src/testing/test-store';
import { ORDERS_SPEC_PATH, createOrdersApp } from './app';
import { ordersMigrations } from './store/migrations';
import type { OrdersTables } from './store/schema';

export function startOrders(store: TestStore, options: { clock?: Clock; identity?: Identity } = {}) {
  return startTestService<OrdersTables>(store, {
    service: 'orders',
    specPath: ORDERS_SPEC_PATH,
    migrations: ordersMigrations,
    createApp: createOrdersApp,
    ...options,
  });
}
