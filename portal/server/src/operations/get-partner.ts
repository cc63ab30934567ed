// GET /partner: the caller's partner, with its status and plan.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getPartner as getPartnerInStore } from '../../../../keys/src/store/partners';
import { memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function getPartner(deps: PortalDeps): OperationHandler {
  return async (_req, res) => {
    res.json(await getPartnerInStore(deps, memberOf(res).partnerId));
  };
}
