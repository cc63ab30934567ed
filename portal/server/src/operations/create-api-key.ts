// POST /apps/{appId}/api-keys: a new `ptc_<env>_…` key for an active app, returned in full in this response only;
// the store keeps its keyed digest. Scopes default to the app's and must be within them (the store: 422).
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { createApiKey as createStoredApiKey } from '../../../../keys/src/store/api-keys';
import { futureExpiresAt, newApiKeySecret } from '../api-key-secrets';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

interface ApiKeyCreateBody {
  name: string;
  scopes?: string[];
  expiresAt?: string | null;
}

export function createApiKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as ApiKeyCreateBody;
    // The app's environment decides who may do this and goes into the key (`ptc_live_…`); it never changes, and
    // the store locks the app and checks its status again.
    const { scope, appId, app } = await appToChange(deps, req, res);
    const expiresAt = futureExpiresAt(deps, body.expiresAt);
    const { key, stored } = newApiKeySecret(deps, app.environment);
    const apiKey = await createStoredApiKey(
      deps,
      scope,
      appId,
      { name: body.name, secret: stored, scopes: body.scopes, expiresAt },
      auditContextOf(req, res),
    );
    res.location(resourceLocation(res, `apps/${encodeURIComponent(appId)}/api-keys`, apiKey.id));
    res.status(201).json({ apiKey, key });
  };
}
