// HTTP handlers for the Customers operations of specs/crm, keyed by operationId. Requests reach them already
// validated against the spec, so they only translate between HTTP and the store.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import * as customers from '../store/customers';
import type { CrmStoreDeps } from '../store/customers';

export function customerOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listCustomers(req, res) {
      const query = req.query as Record<string, string | undefined>;
      const page = await customers.listCustomers(
        deps,
        res.locals.identity,
        {
          ...(query.kind ? { kind: query.kind as customers.CustomerKind } : {}),
          ...(query.lifecycleStage
            ? { lifecycleStage: query.lifecycleStage as customers.LifecycleStage }
            : {}),
          ...(query.tag ? { tag: query.tag } : {}),
          ...(query.q ? { q: query.q } : {}),
        },
        pageRequest(query, 'cus'),
      );
      res.json(page);
    },

    async createCustomer(req, res) {
      const customer = await customers.createCustomer(
        deps,
        res.locals.identity,
        req.body as customers.CustomerInput,
      );
      res.status(201).location(`${req.baseUrl}${req.path}/${customer.id}`).json(customer);
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
