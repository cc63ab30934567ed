// POST /session: sign-in with email and password. Every failure is the same 401; guessing is throttled per address
// and per client address (429 + Retry-After), counted before any password is checked.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { authenticateMember } from '../../../../keys/src/store/member-login';
import { normalizeEmail } from '../../../../keys/src/store/members';
import type { PortalDeps } from '../deps';
import { startSession } from './start-session';

export function login(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { email, password } = req.body as { email: string; password: string };
    const addressKey = normalizeEmail(email);
    const clientKey = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    // Counted before the password is checked: a burst of concurrent guesses is cut off at the limit.
    const waitSeconds = Math.max(
      ...(await Promise.all([
        deps.loginLimiters.address.attempt(addressKey),
        deps.loginLimiters.client.attempt(clientKey),
      ])),
    );
    if (waitSeconds > 0) {
      throw new ProblemError(
        'rate_limited',
        `Too many failed sign-ins. Try again in ${waitSeconds} seconds.`,
        {
          headers: { 'Retry-After': String(waitSeconds) },
        },
      );
    }
    const outcome = await authenticateMember(deps, { email, password }, deps.scrypt);
    if (outcome.outcome !== 'authenticated') {
      throw new ProblemError('unauthenticated', 'The email address or the password is not right.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="portico"' },
      });
    }
    // Only failures are meant to count: a success clears the address and gives the client its attempt back.
    await Promise.all([
      deps.loginLimiters.address.reset(addressKey),
      deps.loginLimiters.client.forgive(clientKey),
    ]);
    await startSession(deps, req, res, outcome, 200);
  };
}
