// HTTP handlers for the Catalogue operations of specs/entitlements, keyed by operationId. Requests reach them
// already validated against the spec, so they only translate between HTTP and the store.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { EntitlementsStoreDeps } from '../store/deps';
import * as items from '../store/items';
import { definedOnly, queryBoolean, queryString, type Query } from '../../../../internal/src/http/query';

export function itemOperations(deps: EntitlementsStoreDeps): Record<string, OperationHandler> {
  return {
    async listItems(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        type: queryString<items.ItemType>(query, 'type'),
        category: queryString(query, 'category'),
        active: queryBoolean(query, 'active'),
      });
      res.json(await items.listItems(deps, res.locals.identity, filter, pageRequest(query, 'itm')));
    },

    async createItem(req, res) {
      const item = await items.createItem(deps, res.locals.identity, req.body as items.ItemInput);
      res
        .status(201)
        .location(resourceLocation(res, 'items', item.id))
        .json(item);
    },

    async getItem(req, res) {
      res.json(await items.getItem(deps, res.locals.identity, String(req.params.itemId)));
    },

    async updateItem(req, res) {
      const changes = req.body as items.ItemChanges;
      res.json(await items.updateItem(deps, res.locals.identity, String(req.params.itemId), changes));
    },

    async deleteItem(req, res) {
      await items.deleteItem(deps, res.locals.identity, String(req.params.itemId));
      res.status(204).end();
    },

    async deactivateItem(req, res) {
      res.json(await items.setItemActive(deps, res.locals.identity, String(req.params.itemId), false));
    },

    async reactivateItem(req, res) {
      res.json(await items.setItemActive(deps, res.locals.identity, String(req.params.itemId), true));
    },
  };
}
