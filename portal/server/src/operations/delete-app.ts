// DELETE /apps/{appId}: hides the app and revokes every credential of it in one transaction, then tells every
// verifier to drop each of those credentials (the gateway refuses them within a second). Usage and audit remain.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { deleteApp as deleteStoredApp } from '../../../../keys/src/store/apps';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function deleteApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { scope, appId } = await appToChange(deps, req, res);
    const { invalidations } = await deleteStoredApp(deps, scope, appId, auditContextOf(req, res));
    for (const event of invalidations) await deps.invalidations.publish(event);
    res.status(204).end();
  };
}
