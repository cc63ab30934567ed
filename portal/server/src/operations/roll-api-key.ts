// POST /apps/{appId}/api-keys/{apiKeyId}/roll: a new key with the old one's name and scopes (shown in full here
// only), and the old key set to expire after the overlap (0 to 7 days, bounded by the spec). Verifiers drop their
// cached copy of the old key, whose expiry just changed.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { rollApiKey as rollStoredApiKey } from '../../../../keys/src/store/api-keys';
import { futureExpiresAt, newApiKeySecret } from '../api-key-secrets';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

interface ApiKeyRollBody {
  overlapSeconds: number;
  expiresAt?: string | null;
}

export function rollApiKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as ApiKeyRollBody;
    const { scope, appId, app } = await appToChange(deps, req, res);
    const expiresAt = futureExpiresAt(deps, body.expiresAt);
    const { key, stored } = newApiKeySecret(deps, app.environment);
    const rolled = await rollStoredApiKey(
      deps,
      scope,
      appId,
      String(req.params.apiKeyId),
      { secret: stored, overlapSeconds: body.overlapSeconds, expiresAt },
      auditContextOf(req, res),
    );
    await deps.invalidations.publish({
      type: 'credential',
      credentialId: rolled.previousApiKey.id,
      digest: rolled.previousDigest,
    });
    res.location(resourceLocation(res, `apps/${encodeURIComponent(appId)}/api-keys`, rolled.apiKey.id));
    res.status(201).json({ apiKey: rolled.apiKey, key, previousApiKey: rolled.previousApiKey });
  };
}
