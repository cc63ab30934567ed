// HTTP handlers for the Orders operations of specs/orders, keyed by operationId. Requests reach them already
// validated against the spec, so they only translate between HTTP and the store.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { OrdersStoreDeps } from '../store/deps';
import { cancelOrder, completeOrder, startFulfillment } from '../store/lifecycle';
import type { Shipment } from '../store/order-model';
import * as orders from '../store/orders';
import type { OrderStatus } from '../store/transitions';

export function orderOperations(deps: OrdersStoreDeps): Record<string, OperationHandler> {
  return {
    async listOrders(req, res) {
      const query = req.query as Record<string, string | undefined>;
      const page = await orders.listOrders(
        deps,
        res.locals.identity,
        {
          ...(query.customerId ? { customerId: query.customerId } : {}),
          ...(query.status ? { status: query.status as OrderStatus } : {}),
          // Callers may send any RFC 3339 offset; stored timestamps are UTC with milliseconds, so normalise.
          ...(query.createdFrom ? { createdFrom: new Date(query.createdFrom).toISOString() } : {}),
          ...(query.createdTo ? { createdTo: new Date(query.createdTo).toISOString() } : {}),
        },
        pageRequest(query, 'ord'),
      );
      res.json(page);
    },

    async createOrder(req, res) {
      const order = await orders.createOrder(deps, res.locals.identity, req.body as orders.OrderInput);
      res.status(201).location(`${req.baseUrl}${req.path}/${order.id}`).json(order);
    },

    async getOrder(req, res) {
      res.json(await orders.getOrder(deps, res.locals.identity, String(req.params.orderId)));
    },

    async updateOrder(req, res) {
      const body = req.body as orders.OrderChanges;
      res.json(await orders.updateOrder(deps, res.locals.identity, String(req.params.orderId), body));
    },

    async cancelOrder(req, res) {
      const body = (req.body ?? {}) as { reason?: string };
      res.json(await cancelOrder(deps, res.locals.identity, String(req.params.orderId), body.reason));
    },

    async startFulfillment(req, res) {
      res.json(await startFulfillment(deps, res.locals.identity, String(req.params.orderId)));
    },

    async completeOrder(req, res) {
      const body = (req.body ?? {}) as { shipment?: Shipment };
      res.json(await completeOrder(deps, res.locals.identity, String(req.params.orderId), body.shipment));
    },
  };
}
