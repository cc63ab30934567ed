// What signUp, login and acceptInvitation share once a member has proved who they are: start a session, set the
// cookie and answer with the Session document (member, partner, CSRF token, expiry).
import type { Request, Response } from 'express';
import { createSession } from '../../../../keys/src/store/sessions';
import type { Member } from '../../../../keys/src/store/members';
import type { Partner } from '../../../../keys/src/store/partners';
import { clientOf } from '../auth/caller';
import { setSessionCookie } from '../auth/session-cookie';
import type { PortalDeps } from '../deps';
import { memberView } from '../representations';

export async function startSession(
  deps: PortalDeps,
  req: Request,
  res: Response,
  signedIn: { member: Member; partner: Partner },
  status: 200 | 201,
): Promise<void> {
  const started = await createSession(deps, signedIn.member, clientOf(req, res));
  const maxAgeSeconds = Math.floor(
    (Date.parse(started.session.absoluteExpiresAt) - deps.clock.now().getTime()) / 1000,
  );
  setSessionCookie(req, res, started.token, maxAgeSeconds, deps.secureCookies);
  res.status(status).json({
    member: memberView({ ...signedIn.member, lastLoginAt: started.session.createdAt }),
    partner: signedIn.partner,
    csrfToken: started.csrfToken,
    expiresAt: started.session.expiresAt,
  });
}
