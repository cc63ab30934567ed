// GET /personal-tokens/{personalTokenId}: one of the caller's own tokens, without its secret. Another member's
// token, even in the same partner and whatever the caller's role, is a 404 like a missing or revoked one.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getPersonalToken as getPersonalTokenInStore } from '../../../../keys/src/store/personal-tokens';
import { memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { personalTokenView } from '../representations-personal-tokens';

export function getPersonalToken(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { personalTokenId } = req.params as { personalTokenId: string };
    const caller = memberOf(res);
    const token = await getPersonalTokenInStore(
      deps,
      { id: caller.memberId, partnerId: caller.partnerId },
      personalTokenId,
    );
    res.json(personalTokenView(token));
  };
}
