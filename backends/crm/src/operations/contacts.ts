// HTTP handlers for the Contacts operations of specs/crm, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import { definedOnly, queryBoolean, queryString, type Query } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import * as contacts from '../store/contacts';
import type { CrmStoreDeps } from '../store/customers';

export function contactOperations(deps: CrmStoreDeps): Record<string, OperationHandler> {
  return {
    async listContacts(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        isPrimary: queryBoolean(query, 'isPrimary'),
        q: queryString(query, 'q'),
      });
      res.json(
        await contacts.listContacts(
          deps,
          res.locals.identity,
          String(req.params.customerId),
          filter,
          pageRequest(query, 'con'),
        ),
      );
    },

    async createContact(req, res) {
      const contact = await contacts.createContact(
        deps,
        res.locals.identity,
        String(req.params.customerId),
        req.body as contacts.ContactInput,
      );
      res
        .status(201)
        .location(resourceLocation(res, 'contacts', contact.id))
        .json(contact);
    },

    async getContact(req, res) {
      res.json(await contacts.getContact(deps, res.locals.identity, String(req.params.contactId)));
    },

    async updateContact(req, res) {
      res.json(
        await contacts.updateContact(
          deps,
          res.locals.identity,
          String(req.params.contactId),
          req.body as contacts.ContactChanges,
        ),
      );
    },

    async deleteContact(req, res) {
      await contacts.deleteContact(deps, res.locals.identity, String(req.params.contactId));
      res.status(204).end();
    },
  };
}
