// POST /invitations/accept: an invited member sets a name and a password with the token from the invitation, and
// is signed in. An unknown, used or expired token is a 401 like any other bad credential.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { acceptInvitation as acceptInvitationInStore } from '../../../../keys/src/store/member-invitations';
import { clientOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { startSession } from './start-session';

export function acceptInvitation(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as { token: string; name: string; password: string };
    const accepted = await acceptInvitationInStore(
      { ...deps, ...(deps.scrypt ? { scrypt: deps.scrypt } : {}) },
      body,
      clientOf(req, res),
    );
    if (accepted.outcome === 'partner_suspended') {
      throw new ProblemError(
        'forbidden',
        'The partner is suspended: nobody can join it until it is reinstated.',
      );
    }
    if (accepted.outcome !== 'accepted') {
      throw new ProblemError(
        'unauthenticated',
        'The invitation is not valid: it may have expired or been used.',
        {
          headers: { 'WWW-Authenticate': 'Bearer realm="portico"' },
          internalMessage: `invitation ${accepted.outcome}`,
        },
      );
    }
    await startSession(deps, req, res, accepted, 200);
  };
}
