// POST /operator/partners/{partnerId}/suspend: suspends an active partner (409 if already suspended). Its members
// may still read; the auth layer refuses their changes, and the gateway refuses its credentials.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { changePartnerStatus } from '../../../../keys/src/store/partners';
import { auditContextOf, assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorSuspendPartner(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const { reason } = req.body as { reason: string };
    const partner = await changePartnerStatus(
      deps,
      String(req.params.partnerId),
      { action: 'suspend', reason },
      auditContextOf(req, res),
    );
    // Every cached credential of the partner still says `active`; the verifier reads the partner's status at
    // lookup, so dropping all entries makes the gateway refuse them within a second (platform spec).
    await deps.invalidations.publish({ type: 'all' });
    res.json(partner);
  };
}
