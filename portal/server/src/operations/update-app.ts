// PATCH /apps/{appId}: changes the given fields (null clears the description). New scopes narrow or widen every
// credential of the app at once, so each cached credential of the app is invalidated when the scopes change.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import {
  appCredentialInvalidations,
  getApp,
  updateApp as updateStoredApp,
  type AppChanges,
} from '../../../../keys/src/store/apps';
import { assertMayChangeApp, auditContextOf, partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function updateApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const scope = partnerScopeOf(res);
    const appId = String(req.params.appId);
    const body = req.body as AppChanges;
    // 404 before 403: whether a live app exists is only told to its own partner.
    const before = await getApp(deps, scope, appId);
    assertMayChangeApp(res, before.environment);
    const app = await updateStoredApp(
      deps,
      scope,
      appId,
      { name: body.name, description: body.description, scopes: body.scopes, metadata: body.metadata },
      auditContextOf(req, res),
    );
    // Verifiers cache a credential together with its app's scopes (keys/src/domain/key-verdict.ts): a narrowed
    // app must not keep serving wider cached credentials. Whenever scopes are sent, even unchanged from what was
    // read above: a concurrent PATCH may have committed other scopes in between, and its own invalidation may
    // have been heard before this one committed. Name, description and metadata are not cached there.
    if (body.scopes !== undefined) {
      for (const event of await appCredentialInvalidations(deps, scope, appId)) {
        await deps.invalidations.publish(event);
      }
    }
    res.json(app);
  };
}
