// Reads the caller's identity from the X-Portico-Partner-Id and X-Portico-Environment headers. This is the
// foundation's stand-in: the gateway issue replaces it with a short-lived JWT the gateway signs and backends verify.
import type { RequestHandler } from 'express';
import { ProblemError } from '../problem/problem';
import type { Environment } from './locals';
import './locals';

export const PARTNER_HEADER = 'x-portico-partner-id';
export const ENVIRONMENT_HEADER = 'x-portico-environment';
const PARTNER_ID = /^prt_[A-Za-z0-9]{4,64}$/;

export function headerIdentity(): RequestHandler {
  return function headerIdentityMiddleware(req, res, next) {
    const partnerId = req.get(PARTNER_HEADER);
    const environment = req.get(ENVIRONMENT_HEADER);
    if (!partnerId || !PARTNER_ID.test(partnerId) || (environment !== 'test' && environment !== 'live')) {
      // Say nothing about which part was wrong: callers reach backends only through the gateway.
      throw new ProblemError('unauthenticated', 'A valid caller identity is required.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="portico"' },
        internalMessage: `identity headers missing or malformed (partner=${partnerId ?? '-'}, env=${environment ?? '-'})`,
      });
    }
    res.locals.identity = { partnerId, environment: environment as Environment };
    next();
  };
}
