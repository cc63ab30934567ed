// POST /apps/{appId}/api-keys/{apiKeyId}/revoke: revokes an active key at once and tells every verifier to drop
// it; the key stays listed as `revoked`. A key already revoked or expired is a 409 that says its status.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { revokeApiKey as revokeStoredApiKey } from '../../../../keys/src/store/api-keys';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function revokeApiKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const apiKeyId = String(req.params.apiKeyId);
    const { scope, appId } = await appToChange(deps, req, res);
    const result = await revokeStoredApiKey(deps, scope, appId, apiKeyId, auditContextOf(req, res));
    if (!result.changed) {
      throw new ProblemError(
        'invalid_transition',
        `API key '${apiKeyId}' is already ${result.apiKey.status}; only an active key can be revoked.`,
        { extensions: { currentStatus: result.apiKey.status } },
      );
    }
    await deps.invalidations.publish({ type: 'credential', credentialId: apiKeyId, digest: result.digest });
    res.json(result.apiKey);
  };
}
