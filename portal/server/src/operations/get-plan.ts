// GET /plans/{planId}: one plan. A member sees offered plans and its partner's current one; any other plan (a
// private plan of another partner) is a 404 like a missing one. The operator sees every plan.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getPlan as getPlanInStore } from '../../../../keys/src/store/plans';
import type { PortalDeps } from '../deps';
import { planViewerOf } from '../plan-viewer';

export function getPlan(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { planId } = req.params as { planId: string };
    res.json(await getPlanInStore(deps, await planViewerOf(deps, res), planId));
  };
}
