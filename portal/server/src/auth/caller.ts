// Who is calling the management API, established by authenticate.ts before validation and read by every handler
// through the helpers below (typed res.locals, STYLE.md), so no handler parses credentials or builds audit actors.
import type { Request, Response } from 'express';
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { Environment } from '../../../../internal/src/http/locals';
import type { PlatformScope } from '../../../../keys/src/domain/scopes';
import type { AuditContext } from '../../../../keys/src/store/audit-events';
import type { PartnerScope } from '../../../../keys/src/store/deps';
import type { Role } from '../../../../keys/src/store/members';
import type { OperationPolicy } from './operation-policies';

/** A member acting through a session (the portal UI) or one of its personal access tokens (scripts). */
export interface MemberCaller {
  kind: 'member';
  partnerId: string;
  partnerStatus: string;
  memberId: string;
  email: string;
  role: Role;
  via:
    | { method: 'session'; sessionId: string; sessionToken: string; expiresAt: string }
    | { method: 'personal_token'; personalTokenId: string; scopes: PlatformScope[]; expiresAt: string };
}

export type PortalCaller = { kind: 'anonymous' } | { kind: 'operator' } | MemberCaller;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      caller: PortalCaller;
      policy: OperationPolicy;
    }
  }
}

/** The member behind the request; the operation's policy guarantees one, so anything else is a wiring bug. */
export function memberOf(res: Response): MemberCaller {
  const caller = res.locals.caller;
  if (caller?.kind !== 'member') throw new Error(`${res.locals.policy?.operationId}: no member caller`);
  return caller;
}

export function partnerScopeOf(res: Response): PartnerScope {
  return { partnerId: memberOf(res).partnerId };
}

/** Who makes the change and from where, for the audit event every change writes. */
export function auditContextOf(req: Request, res: Response): AuditContext {
  const caller = res.locals.caller;
  const client = clientOf(req, res);
  if (caller?.kind === 'member') {
    return {
      ...client,
      actor: {
        type: 'member',
        memberId: caller.memberId,
        email: caller.email,
        personalTokenId: caller.via.method === 'personal_token' ? caller.via.personalTokenId : null,
      },
    };
  }
  if (caller?.kind === 'operator') {
    return { ...client, actor: { type: 'operator', memberId: null, email: null, personalTokenId: null } };
  }
  throw new Error(`${res.locals.policy?.operationId}: an anonymous caller cannot be an audit actor`);
}

/** Where the request came from, for audit events and sessions (the caller's own claims, informational only). */
export function clientOf(req: Request, res: Response): Omit<AuditContext, 'actor'> {
  return {
    requestId: res.locals.requestId ?? null,
    ip: req.ip ?? req.socket.remoteAddress ?? null,
    userAgent: req.get('user-agent')?.slice(0, 512) ?? null,
  };
}

/**
 * Changes to an app or its credentials: in `live`, only the operation's live roles may make them (platform spec,
 * Roles). Call it once the app (or, on creation, the requested environment) is known.
 */
export function assertMayChangeApp(res: Response, environment: Environment): void {
  const caller = memberOf(res);
  const liveRoles = res.locals.policy.liveRoles;
  if (environment === 'live' && liveRoles && !liveRoles.has(caller.role)) {
    throw new ProblemError(
      'forbidden',
      `The ${caller.role} role cannot change live apps or their credentials; an owner or an admin can.`,
    );
  }
}

/** The operator behind an operator operation (defence in depth: the policy already required the operator token). */
export function assertOperator(res: Response): void {
  if (res.locals.caller?.kind !== 'operator')
    throw new Error(`${res.locals.policy?.operationId}: no operator caller`);
}
