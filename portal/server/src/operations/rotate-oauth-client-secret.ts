// POST /apps/{appId}/oauth-clients/{oauthClientId}/rotate-secret: a new secret, shown in this response only; the
// previous one keeps working for `overlapSeconds` (0: ends now), so at most two are valid at any time.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { rotateOAuthClientSecretWithNew } from '../../../../keys/src/oauth/oauth-client-secrets';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function rotateOAuthClientSecret(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { scope, appId } = await appToChange(deps, req, res);
    const { overlapSeconds } = req.body as { overlapSeconds: number };
    const rotated = await rotateOAuthClientSecretWithNew(
      deps,
      deps.peppers,
      scope,
      appId,
      String(req.params.oauthClientId),
      { overlapSeconds },
      auditContextOf(req, res),
    );
    // Cached verdicts hold the old digests (and, with overlap 0, a secret that must stop working now).
    await deps.invalidations.publish(rotated.invalidation);
    res.json({ oauthClient: rotated.oauthClient, clientSecret: rotated.clientSecret });
  };
}
