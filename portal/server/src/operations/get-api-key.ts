// GET /apps/{appId}/api-keys/{apiKeyId}: one key of the app, with its prefix and last four characters only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getApiKey as getStoredApiKey } from '../../../../keys/src/store/api-keys';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function getApiKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    res.json(
      await getStoredApiKey(deps, partnerScopeOf(res), String(req.params.appId), String(req.params.apiKeyId)),
    );
  };
}
