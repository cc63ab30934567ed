// HTTP handlers for the Opportunities operations of specs/crm, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { CrmStoreDeps } from '../store/customers';
import * as opportunities from '../store/opportunities';
import type { OpportunityStage } from '../store/pipeline';

export function opportunityOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listOpportunities(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        customerId: queryString(query, 'customerId'),
        stage: queryString<OpportunityStage>(query, 'stage'),
      });
      res.json(
        await opportunities.listOpportunities(deps, res.locals.identity, filter, pageRequest(query, 'opp')),
      );
    },

    async createOpportunity(req, res) {
      const opportunity = await opportunities.createOpportunity(
        deps,
        res.locals.identity,
        req.body as opportunities.OpportunityInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'opportunities', opportunity.id))
        .json(opportunity);
    },

    async getOpportunity(req, res) {
      res.json(
        await opportunities.getOpportunity(deps, res.locals.identity, String(req.params.opportunityId)),
      );
    },

    async updateOpportunity(req, res) {
      res.json(
        await opportunities.updateOpportunity(
          deps,
          res.locals.identity,
          String(req.params.opportunityId),
          req.body as opportunities.OpportunityChanges,
        ),
      );
    },

    async deleteOpportunity(req, res) {
      await opportunities.deleteOpportunity(deps, res.locals.identity, String(req.params.opportunityId));
      res.status(204).end();
    },
  };
}
