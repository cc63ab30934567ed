// DELETE /apps/{appId}/oauth-clients/{oauthClientId}: removes the client; its secrets and the access tokens
// already issued stop working once the invalidation reaches the gateways (they check the client behind a token).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { deleteOAuthClient as deleteClient } from '../../../../keys/src/store/oauth-clients';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function deleteOAuthClient(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { scope, appId } = await appToChange(deps, req, res);
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
