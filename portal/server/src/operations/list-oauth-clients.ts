// GET /apps/{appId}/oauth-clients: the app's OAuth clients, newest first, never with a secret (the store keeps
// only digests). A missing, deleted or another partner's app is a 404.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import { listOAuthClients as listClients } from '../../../../keys/src/store/oauth-clients';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listOAuthClients(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const page = pageRequest(req.query, 'oac');
    res.json(await listClients(deps, partnerScopeOf(res), String(req.params.appId), page));
  };
}
