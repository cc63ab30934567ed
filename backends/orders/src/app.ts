// The Orders reference backend as an Express app (no listen, no env): its routes are the operations of specs/orders.
import path from 'node:path';
import { identityAssertion } from '../../../internal/src/http/identity-assertion-middleware';
import { createServiceApp } from '../../../internal/src/http/service-app';
import { appOptionsFrom, type ServiceDeps } from '../../../internal/src/service/service-module';
import { orderOperations } from './operations/orders';
import { paymentOperations } from './operations/payments';
import { refundOperations } from './operations/refunds';
import type { OrdersTables } from './store/schema';

export const ORDERS_SPEC_PATH = path.resolve(__dirname, '../../../specs/orders/openapi.yaml');

export type OrdersAppDeps = ServiceDeps<OrdersTables>;

export function createOrdersApp(deps: OrdersAppDeps) {
  const storeDeps = { db: deps.db, clock: deps.clock, newId: deps.newId };
  return createServiceApp({
    specPath: ORDERS_SPEC_PATH,
    handlers: {
      ...orderOperations(storeDeps),
      ...paymentOperations(storeDeps),
      ...refundOperations(storeDeps),
    },
    // Only the gateway's signed word says who is calling (DESIGN.md "Proxying"): the backend cannot be reached
    // around it. The verifier's audience is this backend's name.
    authenticate: identityAssertion({ verifier: deps.identityVerifier }),
    ...appOptionsFrom(deps),
  });
}
