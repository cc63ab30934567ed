// POST /operator/apps/{appId}/reject: a live app awaiting review becomes rejected for good, the reason shown to
// the partner as statusReason; any other app is a 409. The operator only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { reviewApp } from '../../../../keys/src/store/apps';
import { auditContextOf, assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorRejectApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const { reason } = req.body as { reason: string };
    const app = await reviewApp(
      deps,
      String(req.params.appId),
      { action: 'reject', reason },
      auditContextOf(req, res),
    );
    // No invalidation: an app awaiting approval cannot hold credentials, so no cache holds one of its.
    res.json(app);
  };
}
