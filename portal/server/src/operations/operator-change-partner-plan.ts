// PUT /operator/partners/{partnerId}/plan: moves a partner to another plan (the same plan again changes nothing; an
// unknown plan is a 422). The operator only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { changePartnerPlan, findPartner } from '../../../../keys/src/store/partners';
import { auditContextOf, assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorChangePartnerPlan(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const partnerId = String(req.params.partnerId);
    const { planId } = req.body as { planId: string };
    const before = await findPartner(deps, partnerId);
    const partner = await changePartnerPlan(deps, partnerId, planId, auditContextOf(req, res));
    // The gateway caches each credential with its plan's limits and scopes, and a partner has many: drop them all
    // so the new plan applies within a second (platform spec). A repeat of the current plan left the row as it
    // was and needs no flush; any other outcome (including a race with another change) flushes.
    if (partner.planId !== before?.planId || partner.updatedAt !== before.updatedAt) {
      await deps.invalidations.publish({ type: 'all' });
    }
    res.json(partner);
  };
}
