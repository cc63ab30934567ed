// HTTP handlers for the Refunds operations of specs/orders, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { OrdersStoreDeps } from '../store/deps';
import * as refunds from '../store/refunds';

export function refundOperations(deps: OrdersStoreDeps): Record<string, OperationHandler> {
  return {
    async refundOrder(req, res) {
      const refund = await refunds.refundOrder(
        deps,
        res.locals.identity,
        String(req.params.orderId),
        req.body as refunds.RefundInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'refunds', refund.id))
        .json(refund);
    },

    async listOrderRefunds(req, res) {
      const query = req.query as Query;
      res.json(
        await refunds.listOrderRefunds(
          deps,
          res.locals.identity,
          String(req.params.orderId),
          pageRequest(query, 'rfd'),
        ),
      );
    },

    async getRefund(req, res) {
      res.json(await refunds.getRefund(deps, res.locals.identity, String(req.params.refundId)));
    },
  };
}
