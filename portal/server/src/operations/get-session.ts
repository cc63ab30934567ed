// GET /session: the signed-in member, its partner and the session's CSRF token (a reloaded page gets it back).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { getMember } from '../../../../keys/src/store/members';
import { getPartner } from '../../../../keys/src/store/partners';
import { sessionCsrfToken } from '../../../../keys/src/store/sessions';
import { memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { memberView } from '../representations';

export function getSession(deps: PortalDeps): OperationHandler {
  return async (_req, res) => {
    const caller = memberOf(res);
    if (caller.via.method !== 'session') throw new Error('getSession reached without a session');
    const scope = { partnerId: caller.partnerId };
    const [member, partner] = await Promise.all([
      getMember(deps, scope, caller.memberId),
      getPartner(deps, caller.partnerId),
    ]);
    res.json({
      member: memberView(member),
      partner,
      csrfToken: sessionCsrfToken(deps, caller.via.sessionToken),
      expiresAt: caller.via.expiresAt,
    });
  };
}
