// POST /apps: a new app, `active` at once in test and `pending_approval` in live until the operator reviews it.
// Only owners and admins may create a live app; the scopes must be within the partner's plan (the store: 422).
import type { Environment } from '../../../../internal/src/http/locals';
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { createApp as createStoredApp } from '../../../../keys/src/store/apps';
import { assertMayChangeApp, auditContextOf, partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

interface AppCreateBody {
  name: string;
  description?: string;
  environment: Environment;
  scopes: string[];
  metadata?: Record<string, string>;
}

export function createApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as AppCreateBody;
    assertMayChangeApp(res, body.environment);
    const app = await createStoredApp(
      deps,
      partnerScopeOf(res),
      {
        name: body.name,
        description: body.description,
        environment: body.environment,
        scopes: body.scopes,
        metadata: body.metadata,
      },
      auditContextOf(req, res),
    );
    res.location(resourceLocation(res, 'apps', app.id));
    res.status(201).json(app);
  };
}
