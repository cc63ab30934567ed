// POST /apps/{appId}/oauth-clients/{oauthClientId}/rotate-secret: a new secret, shown in this response only; the
// previous one keeps working for `overlapSeconds` (0: ends now), so at most two are valid at any time.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { rotateOAuthClientSecretWithNew } from '../../../../keys/src/oauth/oauth-client-secrets';
import { getApp } from '../../../../keys/src/store/apps';
import { assertMayChangeApp, auditContextOf, partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function rotateOAuthClientSecret(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const scope = partnerScopeOf(res);
    const appId = String(req.params.appId);
    const app = await getApp(deps, scope, appId);
    assertMayChangeApp(res, app.environment);
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
