// HTTP handlers for the Redemptions operations of specs/entitlements, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { EntitlementsStoreDeps } from '../store/deps';
import * as redemptions from '../store/redemptions';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';

export function redemptionOperations(deps: EntitlementsStoreDeps): Record<string, OperationHandler> {
  return {
    async listRedemptions(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        itemId: queryString(query, 'itemId'),
        status: queryString<redemptions.RedemptionStatus>(query, 'status'),
      });
      res.json(
        await redemptions.listRedemptions(
          deps,
          res.locals.identity,
          String(req.params.grantId),
          filter,
          pageRequest(query, 'rdm'),
        ),
      );
    },

    async createRedemption(req, res) {
      const grantId = String(req.params.grantId);
      const redemption = await redemptions.createRedemption(
        deps,
        res.locals.identity,
        grantId,
        req.body as redemptions.RedemptionInput,
      );
      // The redemptions collection lives under its grant.
      const collection = `grants/${encodeURIComponent(grantId)}/redemptions`;
      res
        .status(201)
        .location(resourceLocation(res, collection, redemption.id))
        .json(redemption);
    },

    async getRedemption(req, res) {
      res.json(
        await redemptions.getRedemption(
          deps,
          res.locals.identity,
          String(req.params.grantId),
          String(req.params.redemptionId),
        ),
      );
    },

    async reverseRedemption(req, res) {
      const body = req.body as { reason?: unknown } | undefined;
      res.json(
        await redemptions.reverseRedemption(
          deps,
          res.locals.identity,
          String(req.params.grantId),
          String(req.params.redemptionId),
          typeof body?.reason === 'string' ? body.reason : undefined,
        ),
      );
    },
  };
}
