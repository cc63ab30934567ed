// POST /apps/{appId}/signing-keys/{signingKeyId}/revoke: revokes the key at once and tells every gateway to drop
// it from its cache; the key stays listed as `revoked`, and revoking it again is a 409.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { revokeSigningKey as revokeKey } from '../../../../keys/src/store/signing-keys';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function revokeSigningKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const signingKeyId = String(req.params.signingKeyId);
    const { scope, appId } = await appToChange(deps, req, res);
    const { changed, signingKey } = await revokeKey(
      deps,
      scope,
      appId,
      signingKeyId,
      auditContextOf(req, res),
    );
    if (!changed) {
      throw new ProblemError('invalid_transition', `Signing key '${signingKeyId}' is already revoked.`, {
        extensions: { currentStatus: signingKey.status },
      });
    }
    // After the commit, so that a gateway reloading on the event reads the key as revoked (DESIGN.md: within 1 s).
    await deps.invalidations.publish({ type: 'credential', credentialId: signingKey.id });
    res.json(signingKey);
  };
}
