// POST /operator/partners/{partnerId}/reinstate: lifts a suspension (409 if the partner is not suspended); its
// credentials, kept meanwhile, work again. The operator only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { changePartnerStatus } from '../../../../keys/src/store/partners';
import { auditContextOf, assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorReinstatePartner(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const partner = await changePartnerStatus(
      deps,
      String(req.params.partnerId),
      { action: 'reinstate' },
      auditContextOf(req, res),
    );
    // Caches hold the partner's credentials as suspended: drop them so they work again within a second.
    await deps.invalidations.publish({ type: 'all' });
    res.json(partner);
  };
}
