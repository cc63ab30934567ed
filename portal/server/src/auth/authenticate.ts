// Authenticates and authorises every management request before it is validated, from the operation's policy in the
// spec: the credential (session cookie + CSRF token, personal access token, operator token), the role, the token's
// scopes and the partner's state. An unauthenticated caller learns nothing about the request's shape (401 first).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { verifyCsrfToken } from '../../../../keys/src/domain/session-token';
import { storedDigest } from '../../../../keys/src/domain/key-digest';
import { redigestPersonalToken, verifyPersonalToken } from '../../../../keys/src/store/personal-tokens';
import { findSessionByToken } from '../../../../keys/src/store/sessions';
import type { PortalDeps } from '../deps';
import type { MemberCaller, PortalCaller } from './caller';
import { matchPolicy, type OperationPolicy } from './operation-policies';
import { assertTrustedOrigin } from './origin-check';
import { readSessionCookie } from './session-cookie';

/** While a partner is suspended its members may still read, sign out and revoke their tokens (platform spec). */
const ALLOWED_WHILE_SUSPENDED = new Set(['logout', 'revokePersonalToken']);

export function authenticate(
  deps: Pick<
    PortalDeps,
    | 'db'
    | 'clock'
    | 'newId'
    | 'peppers'
    | 'operatorToken'
    | 'trustedOrigins'
    | 'publicUrl'
    | 'logger'
    | 'personalTokenUse'
    | 'secureCookies'
  >,
  policies: readonly OperationPolicy[],
  basePath: string,
): RequestHandler {
  const operatorDigest = sha256(deps.operatorToken);
  const basePathLower = basePath.toLowerCase();
  // The public URL's origin is the portal's own even when a proxy in front changes scheme or host.
  const trustedOrigins = [new URL(deps.publicUrl).origin, ...deps.trustedOrigins];

  const unauthenticated = (reason: string) =>
    new ProblemError('unauthenticated', 'A valid credential is required.', {
      // RFC 6750 §3: a 401 names the scheme. The reason goes to the log only: every failure looks alike.
      headers: { 'WWW-Authenticate': 'Bearer realm="portico"' },
      internalMessage: `management API: ${reason}`,
    });

  async function callerFor(req: Request, policy: OperationPolicy): Promise<PortalCaller> {
    if (policy.roles.has('anonymous')) {
      assertTrustedOrigin(req, trustedOrigins);
      return { kind: 'anonymous' };
    }
    const accepts = (scheme: string) =>
      policy.security.some((alternative) => alternative.has(scheme as never));
    const authorization = req.get('authorization');
    // An explicit Authorization header wins over the ambient cookie: a script's token is never mixed with a session.
    if (authorization !== undefined) {
      const match = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('malformed Authorization header');
      const token = match[1]!;
      if (token.startsWith('ptp_')) {
        // Operations that take only a session (the session itself, minting tokens) answer any other credential
        // like a missing one: a personal token can neither mint tokens nor stand in for a signed-in person.
        if (!accepts('personalToken')) throw unauthenticated(`personal token on ${policy.operationId}`);
        return personalTokenCaller(token);
      }
      if (accepts('operatorToken') && timingSafeEqual(sha256(token), operatorDigest))
        return { kind: 'operator' };
      throw unauthenticated('unknown bearer token');
    }
    if (!accepts('session')) throw unauthenticated(`no credential for ${policy.operationId}`);
    const sessionToken = readSessionCookie(req, deps.secureCookies);
    if (sessionToken === undefined) throw unauthenticated('no session cookie');
    const found = await findSessionByToken(deps, sessionToken);
    if (!found) throw unauthenticated('unknown or expired session');
    // A cookie is sent by the browser on its own: every unsafe request must prove it comes from our page.
    if (policy.changes && !verifyCsrfToken(deps.peppers, sessionToken, req.get('x-csrf-token'))) {
      throw new ProblemError(
        'csrf_failed',
        'Send the csrfToken of your session (from sign-in or GET /session) in the X-CSRF-Token header.',
      );
    }
    return {
      kind: 'member',
      partnerId: found.partner.id,
      partnerStatus: found.partner.status,
      memberId: found.member.id,
      email: found.member.email,
      role: found.member.role,
      via: {
        method: 'session',
        sessionId: found.session.id,
        sessionToken,
        expiresAt: found.session.expiresAt,
      },
    };
  }

  async function personalTokenCaller(token: string): Promise<MemberCaller> {
    const verified = await verifyPersonalToken(deps, token);
    if (verified.outcome !== 'valid') throw unauthenticated(`personal token ${verified.outcome}`);
    const t = verified.token;
    deps.personalTokenUse.record(t.tokenId);
    if (t.needsRedigest) {
      // Off the request path: the token works either way; the move lets an old pepper leave the ring.
      redigestPersonalToken(deps, t.tokenId, storedDigest(deps.peppers, token)).catch((error: unknown) =>
        deps.logger.warn({ err: error, personalTokenId: t.tokenId }, 'personal token re-digest failed'),
      );
    }
    return {
      kind: 'member',
      partnerId: t.partnerId,
      partnerStatus: t.partnerStatus,
      memberId: t.memberId,
      email: t.memberEmail,
      role: t.role,
      via: { method: 'personal_token', personalTokenId: t.tokenId, scopes: t.scopes, expiresAt: t.expiresAt },
    };
  }

  function authorize(caller: PortalCaller, policy: OperationPolicy): void {
    if (caller.kind === 'anonymous') return;
    if (caller.kind === 'operator') {
      if (!policy.roles.has('operator')) throw unauthenticated('operator token on a partner operation');
      return;
    }
    if (caller.via.method === 'personal_token') {
      const needed = policy.changes ? 'platform:write' : 'platform:read';
      if (!caller.via.scopes.includes(needed)) {
        throw new ProblemError(
          'insufficient_scope',
          `This personal access token lacks the ${needed} scope.`,
          {
            headers: {
              'WWW-Authenticate': `Bearer realm="portico", error="insufficient_scope", scope="${needed}"`,
            },
          },
        );
      }
    }
    if (!policy.roles.has(caller.role)) {
      throw new ProblemError('forbidden', `The ${caller.role} role cannot call ${policy.operationId}.`);
    }
    if (
      policy.changes &&
      caller.partnerStatus === 'suspended' &&
      !ALLOWED_WHILE_SUSPENDED.has(policy.operationId)
    ) {
      throw new ProblemError(
        'forbidden',
        'The partner is suspended: changes are not possible until it is reinstated.',
      );
    }
  }

  return async function authenticateManagementRequest(req, res, next) {
    const path = req.path.toLowerCase().startsWith(basePathLower)
      ? req.path.slice(basePath.length)
      : undefined;
    const policy = path === undefined ? undefined : matchPolicy(policies, req.method, path);
    // Unknown paths and methods are answered by the validator (404/405) — they need no credential.
    if (!policy) return next();
    res.locals.policy = policy;
    const caller = await callerFor(req, policy);
    authorize(caller, policy);
    res.locals.caller = caller;
    next();
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
