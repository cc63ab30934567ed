// GET /apps/{appId}/oauth-clients/{oauthClientId}: one client of the app, without its secret; another app's client,
// or another partner's, is a 404 like a missing one.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getOAuthClient as getClient } from '../../../../keys/src/store/oauth-clients';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function getOAuthClient(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    res.json(
      await getClient(deps, partnerScopeOf(res), String(req.params.appId), String(req.params.oauthClientId)),
    );
  };
}
