// HTTP handlers for the Payments operations of specs/orders, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { OrdersStoreDeps } from '../store/deps';
import * as payments from '../store/payments';

export function paymentOperations(deps: OrdersStoreDeps): Record<string, OperationHandler> {
  return {
    async payOrder(req, res) {
      const payment = await payments.payOrder(
        deps,
        res.locals.identity,
        String(req.params.orderId),
        req.body as payments.PaymentInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'payments', payment.id))
        .json(payment);
    },

    async listOrderPayments(req, res) {
      const query = req.query as Query;
      res.json(
        await payments.listOrderPayments(
          deps,
          res.locals.identity,
          String(req.params.orderId),
          pageRequest(query, 'pay'),
        ),
      );
    },

    async getPayment(req, res) {
      res.json(await payments.getPayment(deps, res.locals.identity, String(req.params.paymentId)));
    },
  };
}
