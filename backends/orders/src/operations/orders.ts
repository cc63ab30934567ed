// HTTP handlers for the Orders operations of specs/orders, keyed by operationId. Requests reach them already
// validated against the spec, so they only translate between HTTP and the store.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryString, queryTimestamp, type Query } from '../../../../internal/src/http/query';
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
      const query = req.query as Query;
      const filter: orders.OrderFilter = definedOnly({
        customerId: queryString(query, 'customerId'),
        status: queryString<OrderStatus>(query, 'status'),
        createdFrom: queryTimestamp(query, 'createdFrom'),
        createdTo: queryTimestamp(query, 'createdTo'),
      });
      res.json(await orders.listOrders(deps, res.locals.identity, filter, pageRequest(query, 'ord')));
    },

    async createOrder(req, res) {
      const order = await orders.createOrder(deps, res.locals.identity, req.body as orders.OrderInput);
      res
        .status(201)
        .location(resourceLocation(res, 'orders', order.id))
        .json(order);
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
