// Login CSRF (OWASP): sign-up, sign-in and invitation acceptance carry no session to bind a CSRF token to, so a
// browser request from a foreign page is recognised by its Origin (RFC 6454) or Sec-Fetch-Site header and refused.
import type { Request } from 'express';
import { ProblemError } from '../../../../internal/src/problem/problem';

export function assertTrustedOrigin(req: Request, trustedOrigins: readonly string[]): void {
  const origin = req.get('origin');
  const own = `${req.protocol}://${req.get('host') ?? ''}`;
  const trusted = origin === undefined ? undefined : origin === own || trustedOrigins.includes(origin);
  // Browsers send Origin on every cross-origin POST; a client without one (curl, an SDK) is not a browser page.
  if (trusted === false || (trusted === undefined && req.get('sec-fetch-site') === 'cross-site')) {
    throw new ProblemError('csrf_failed', 'This request comes from another origin than the portal.', {
      internalMessage: `origin ${origin ?? '-'} refused (own ${own})`,
    });
  }
}
