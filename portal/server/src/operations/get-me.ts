// GET /me: the caller — member, partner and how it authenticated (session or personal token, with its scopes).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { PLATFORM_SCOPES } from '../../../../keys/src/domain/scopes';
import { getMember } from '../../../../keys/src/store/members';
import { getPartner } from '../../../../keys/src/store/partners';
import { memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { memberView } from '../representations';

export function getMe(deps: PortalDeps): OperationHandler {
  return async (_req, res) => {
    const caller = memberOf(res);
    const [member, partner] = await Promise.all([
      getMember(deps, { partnerId: caller.partnerId }, caller.memberId),
      getPartner(deps, caller.partnerId),
    ]);
    const via = caller.via;
    res.json({
      member: memberView(member),
      partner,
      authentication:
        via.method === 'session'
          ? {
              method: 'session',
              personalTokenId: null,
              scopes: [...PLATFORM_SCOPES],
              expiresAt: via.expiresAt,
            }
          : {
              method: 'personal_token',
              personalTokenId: via.personalTokenId,
              scopes: via.scopes,
              expiresAt: via.expiresAt,
            },
    });
  };
}
