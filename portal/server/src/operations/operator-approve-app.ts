// POST /operator/apps/{appId}/approve: a live app awaiting review becomes active, the optional note kept as its
// statusReason; any other app is a 409. The operator only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { reviewApp } from '../../../../keys/src/store/apps';
import { auditContextOf, assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorApproveApp(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    // The body is optional; service-app reads a missing one as {} (no note).
    const { note } = req.body as { note?: string };
    const app = await reviewApp(
      deps,
      String(req.params.appId),
      note === undefined ? { action: 'approve' } : { action: 'approve', note },
      auditContextOf(req, res),
    );
    // No invalidation: an app awaiting approval cannot hold credentials, so no cache holds one of its.
    res.json(app);
  };
}
