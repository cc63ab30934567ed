// POST /session: sign-in with email and password. Every failure is the same 401; guessing is throttled per address
// and per client address (429 + Retry-After) before any password is checked.
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
    const waitSeconds = Math.max(
      await deps.loginLimiters.address.retryAfterSeconds(addressKey),
      await deps.loginLimiters.client.retryAfterSeconds(clientKey),
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
      await Promise.all([
        deps.loginLimiters.address.recordFailure(addressKey),
        deps.loginLimiters.client.recordFailure(clientKey),
      ]);
      throw new ProblemError('unauthenticated', 'The email address or the password is not right.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="portico"' },
      });
    }
    await deps.loginLimiters.address.reset(addressKey);
    await startSession(deps, req, res, outcome, 200);
  };
}
