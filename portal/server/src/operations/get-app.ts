// GET /apps/{appId}: one of the partner's apps; another partner's (or a deleted one) is a 404 like a missing one.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getApp as getStoredApp } from '../../../../keys/src/store/apps';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function getApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    res.json(await getStoredApp(deps, partnerScopeOf(res), String(req.params.appId)));
  };
}
