// GET /apps: the partner's apps in both environments, newest first, optionally filtered by environment and status.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { definedOnly, queryString } from '../../../../internal/src/http/query';
import type { Environment } from '../../../../internal/src/http/locals';
import { pageRequest } from '../../../../internal/src/pagination';
import { listApps as listStoredApps, type AppStatus } from '../../../../keys/src/store/apps';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listApps(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const filter = definedOnly({
      environment: queryString<Environment>(req.query, 'environment'),
      status: queryString<AppStatus>(req.query, 'status'),
    });
    res.json(await listStoredApps(deps, partnerScopeOf(res), filter, pageRequest(req.query, 'app')));
  };
}
