// GET /audit-events: the partner's audit trail, newest first, with the spec's filters. Only owners and admins get
// here (x-portico-roles, enforced by authenticate.ts); events of other partners are never in scope.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { definedOnly, queryString, queryTimestamp } from '../../../../internal/src/http/query';
import { pageRequest } from '../../../../internal/src/pagination';
import {
  listAuditEvents as listEvents,
  type AuditAction,
  type AuditActorType,
  type AuditTargetType,
} from '../../../../keys/src/store/audit-events';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listAuditEvents(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const page = pageRequest(req.query, 'aud');
    const filter = definedOnly({
      actorId: queryString(req.query, 'actorId'),
      actorType: queryString<AuditActorType>(req.query, 'actorType'),
      action: queryString<AuditAction>(req.query, 'action'),
      targetType: queryString<AuditTargetType>(req.query, 'targetType'),
      targetId: queryString(req.query, 'targetId'),
      // Normalised to the stored form, so that comparing text compares instants (an offset is allowed on input).
      from: queryTimestamp(req.query, 'from'),
      to: queryTimestamp(req.query, 'to'),
    });
    res.json(await listEvents(deps, partnerScopeOf(res), filter, page));
  };
}
