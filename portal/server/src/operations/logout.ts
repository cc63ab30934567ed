// DELETE /session: signs this session out; the session row is deleted, so the cookie stops working everywhere.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { endSession } from '../../../../keys/src/store/sessions';
import { auditContextOf, memberOf } from '../auth/caller';
import { clearSessionCookie } from '../auth/session-cookie';
import type { PortalDeps } from '../deps';

export function logout(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    if (caller.via.method !== 'session') throw new Error('logout reached without a session');
    await endSession(deps, { partnerId: caller.partnerId }, caller.via.sessionId, auditContextOf(req, res));
    clearSessionCookie(req, res, deps.secureCookies);
    res.status(204).end();
  };
}
