// HTTP handlers for the Packages operations of specs/entitlements, keyed by operationId.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import type { EntitlementsStoreDeps } from '../store/deps';
import * as packages from '../store/packages';
import { definedOnly, queryString, type Query } from '../../../../internal/src/http/query';

export function packageOperations(deps: EntitlementsStoreDeps): Record<string, OperationHandler> {
  return {
    async listPackages(req, res) {
      const query = req.query as Query;
      const filter = definedOnly({
        status: queryString<packages.PackageStatus>(query, 'status'),
        itemId: queryString(query, 'itemId'),
      });
      res.json(await packages.listPackages(deps, res.locals.identity, filter, pageRequest(query, 'pkg')));
    },

    async createPackage(req, res) {
      const pkg = await packages.createPackage(deps, res.locals.identity, req.body as packages.PackageInput);
      res
        .status(201)
        .location(resourceLocation(res, 'packages', pkg.id))
        .json(pkg);
    },

    async getPackage(req, res) {
      res.json(await packages.getPackage(deps, res.locals.identity, String(req.params.packageId)));
    },

    async updatePackage(req, res) {
      const changes = req.body as packages.PackageChanges;
      res.json(
        await packages.updatePackage(deps, res.locals.identity, String(req.params.packageId), changes),
      );
    },

    async activatePackage(req, res) {
      res.json(
        await packages.transitionPackage(deps, res.locals.identity, String(req.params.packageId), 'activate'),
      );
    },

    async retirePackage(req, res) {
      res.json(
        await packages.transitionPackage(deps, res.locals.identity, String(req.params.packageId), 'retire'),
      );
    },
  };
}
