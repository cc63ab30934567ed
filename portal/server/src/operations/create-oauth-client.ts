// POST /apps/{appId}/oauth-clients: a client-credentials client and its secret (`pto_<env>_…`), shown in this
// response only. The store checks the app is active (409), the 5-client limit (409) and the scopes (422).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { resourceLocation } from '../../../../internal/src/http/location';
import { createOAuthClientWithSecret } from '../../../../keys/src/oauth/oauth-client-secrets';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

interface OAuthClientCreateBody {
  name: string;
  scopes?: string[];
  accessTokenTtlSeconds?: number;
}

export function createOAuthClient(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    // 404 before 403: a developer learns nothing about another partner's app, then may not touch a live one.
    const { scope, appId } = await appToChange(deps, req, res);
    const body = req.body as OAuthClientCreateBody;
    const created = await createOAuthClientWithSecret(
      deps,
      deps.peppers,
      scope,
      appId,
      { name: body.name, scopes: body.scopes, accessTokenTtlSeconds: body.accessTokenTtlSeconds },
      auditContextOf(req, res),
    );
    res.location(resourceLocation(res, `apps/${appId}/oauth-clients`, created.oauthClient.id));
    res.status(201).json({ oauthClient: created.oauthClient, clientSecret: created.clientSecret });
  };
}
