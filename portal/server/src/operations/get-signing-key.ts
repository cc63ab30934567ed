// GET /apps/{appId}/signing-keys/{signingKeyId}: one signing key of the app (never its secret); another app's key,
// or another partner's, is a 404 like a missing one.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getSigningKey as getKey } from '../../../../keys/src/store/signing-keys';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function getSigningKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    res.json(
      await getKey(deps, partnerScopeOf(res), String(req.params.appId), String(req.params.signingKeyId)),
    );
  };
}
