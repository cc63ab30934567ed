// GET /plans: for a member, the offered plans plus its partner's current one; for the operator, every plan.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import { listPlans as listPlansInStore } from '../../../../keys/src/store/plans';
import type { PortalDeps } from '../deps';
import { planViewerOf } from '../plan-viewer';

export function listPlans(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const page = pageRequest(req.query, 'pln');
    res.json(await listPlansInStore(deps, await planViewerOf(deps, res), page));
  };
}
