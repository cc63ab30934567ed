// GET /personal-tokens: the caller's own personal access tokens, newest first, without their secrets; another
// member's tokens are never listed, whatever the caller's role.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import { listPersonalTokens as listPersonalTokensInStore } from '../../../../keys/src/store/personal-tokens';
import { memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { personalTokenView } from '../representations-personal-tokens';

export function listPersonalTokens(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    const page = await listPersonalTokensInStore(
      deps,
      { id: caller.memberId, partnerId: caller.partnerId },
      pageRequest(req.query, 'pat'),
    );
    res.json({ ...page, data: page.data.map(personalTokenView) });
  };
}
