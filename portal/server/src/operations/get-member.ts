// GET /members/{memberId}: one member of the caller's partner; another partner's member is a 404 like a missing one.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getMember as getMemberInStore } from '../../../../keys/src/store/members';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { memberView } from '../representations';

export function getMember(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { memberId } = req.params as { memberId: string };
    res.json(memberView(await getMemberInStore(deps, partnerScopeOf(res), memberId)));
  };
}
