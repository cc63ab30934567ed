// HTTP handlers for the Customers operations of specs/crm, keyed by operationId. Requests reach them already
// validated against the spec, so they only translate between HTTP and the store.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import * as customers from '../store/customers';
import type { CrmStoreDeps } from '../store/customers';

export function customerOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listCustomers(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        kind: queryString<customers.CustomerKind>(query, 'kind'),
        lifecycleStage: queryString<customers.LifecycleStage>(query, 'lifecycleStage'),
        tag: queryString(query, 'tag'),
        q: queryString(query, 'q'),
      });
      res.json(await customers.listCustomers(deps, res.locals.identity, filter, pageRequest(query, 'cus')));
    },

    async createCustomer(req, res) {
      const customer = await customers.createCustomer(
        deps,
        res.locals.identity,
        req.body as customers.CustomerInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'customers', customer.id))
        .json(customer);
    },

    async getCustomer(req, res) {
      res.json(await customers.getCustomer(deps, res.locals.identity, String(req.params.customerId)));
    },

    async updateCustomer(req, res) {
      const body = req.body as customers.CustomerChanges;
      res.json(
        await customers.updateCustomer(deps, res.locals.identity, String(req.params.customerId), body),
      );
    },

    async deleteCustomer(req, res) {
      await customers.deleteCustomer(deps, res.locals.identity, String(req.params.customerId));
      res.status(204).end();
    },
  };
}
