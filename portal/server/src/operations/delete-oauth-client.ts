// DELETE /apps/{appId}/oauth-clients/{oauthClientId}: removes the client; its secrets and the access tokens
// already issued stop working once the invalidation reaches the gateways (they check the client behind a token).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getApp } from '../../../../keys/src/store/apps';
import { deleteOAuthClient as deleteClient } from '../../../../keys/src/store/oauth-clients';
import { assertMayChangeApp, auditContextOf, partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function deleteOAuthClient(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const scope = partnerScopeOf(res);
    const appId = String(req.params.appId);
    const app = await getApp(deps, scope, appId);
    assertMayChangeApp(res, app.environment);
    const { invalidation } = await deleteClient(
      deps,
      scope,
      appId,
      String(req.params.oauthClientId),
      auditContextOf(req, res),
    );
    // Only after the commit: a gateway that reloads on the event must not read the client back.
    await deps.invalidations.publish(invalidation);
    res.status(204).end();
  };
}
