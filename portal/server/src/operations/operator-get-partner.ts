// GET /operator/partners/{partnerId}: any partner of the installation, whatever its state. The operator only.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getPartner } from '../../../../keys/src/store/partners';
import { assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorGetPartner(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    res.json(await getPartner(deps, String(req.params.partnerId)));
  };
}
