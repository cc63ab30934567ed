// Whose view of the plans a request has (keys/src/store/plans.ts PlanViewer): the operator sees every plan; a
// member sees the offered plans plus its partner's current one, which may be a private plan made for it.
import type { Response } from 'express';
import { getPartner } from '../../../keys/src/store/partners';
import type { PlanViewer } from '../../../keys/src/store/plans';
import { memberOf } from './auth/caller';
import type { PortalDeps } from './deps';

export async function planViewerOf(deps: PortalDeps, res: Response): Promise<PlanViewer> {
  if (res.locals.caller?.kind === 'operator') return 'operator';
  // The plan is read per request, not from the caller: the operator may have just moved the partner to another.
  const partner = await getPartner(deps, memberOf(res).partnerId);
  return { partnerPlanId: partner.planId };
}
