// HTTP handlers for the Leads operations of specs/crm (including the conversion), keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { CrmStoreDeps } from '../store/customers';
import { convertLead, type LeadConversionRequest } from '../store/lead-conversion';
import type { LeadSource, LeadStatus } from '../store/lead-lifecycle';
import * as leads from '../store/leads';

export function leadOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listLeads(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        status: queryString<LeadStatus>(query, 'status'),
        source: queryString<LeadSource>(query, 'source'),
        q: queryString(query, 'q'),
      });
      res.json(await leads.listLeads(deps, res.locals.identity, filter, pageRequest(query, 'lead')));
    },

    async createLead(req, res) {
      const lead = await leads.createLead(deps, res.locals.identity, req.body as leads.LeadInput);
      res
        .status(201)
        .location(resourceLocation(res, 'leads', lead.id))
        .json(lead);
    },

    async getLead(req, res) {
      res.json(await leads.getLead(deps, res.locals.identity, String(req.params.leadId)));
    },

    async updateLead(req, res) {
      res.json(
        await leads.updateLead(
          deps,
          res.locals.identity,
          String(req.params.leadId),
          req.body as leads.LeadChanges,
        ),
      );
    },

    async deleteLead(req, res) {
      await leads.deleteLead(deps, res.locals.identity, String(req.params.leadId));
      res.status(204).end();
    },

    async convertLead(req, res) {
      // The body is optional: no body converts with the defaults.
      const request = (req.body ?? {}) as LeadConversionRequest;
      const conversion = await convertLead(deps, res.locals.identity, String(req.params.leadId), request);
      res
        .status(201)
        .location(resourceLocation(res, 'customers', conversion.customer.id))
        .json(conversion);
    },
  };
}
