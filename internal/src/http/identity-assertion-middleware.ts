// Establishes the caller of a backend request from the identity assertion the gateway signed (X-Portico-Identity),
// the `authenticate` of every backend: without a valid assertion a backend cannot be reached around the gateway.
// Every refusal is the same 401; the reason goes to the log only.
import type { RequestHandler } from 'express';
import { IDENTITY_ASSERTION_HEADER } from '../identity/identity-assertion';
import type { IdentityVerifier } from '../identity/identity-verifier';
import { ProblemError } from '../problem/problem';
import './locals';

export { IDENTITY_ASSERTION_HEADER };

/**
 * A scheme of our own rather than `Bearer`: the assertion does not travel in `Authorization` (see
 * internal/src/identity/README.md), and RFC 9110 §11.6.1 requires a challenge on every 401.
 */
export const IDENTITY_CHALLENGE = 'PorticoIdentity realm="portico"';

export interface IdentityAssertionOptions {
  /** createIdentityVerifier for this backend's audience and the gateway's public keys. */
  verifier: IdentityVerifier;
}

export function identityAssertion(options: IdentityAssertionOptions): RequestHandler {
  const { verifier } = options;
  return function identityAssertionMiddleware(req, res, next) {
    // A repeated header arrives joined with ", ", which no compact JWS contains: it is refused as malformed.
    const verification = verifier(req.get(IDENTITY_ASSERTION_HEADER));
    if (verification.outcome !== 'valid') {
      // Say nothing about what was wrong: callers reach backends only through the gateway.
      throw new ProblemError('unauthenticated', 'A valid caller identity is required.', {
        headers: { 'WWW-Authenticate': IDENTITY_CHALLENGE },
        internalMessage: `identity assertion refused: ${verification.reason}`,
      });
    }
    const { partnerId, environment } = verification.identity;
    res.locals.identity = { partnerId, environment };
    next();
  };
}
