// GET /requests: the partner's request log, newest first, searchable by request id, app, credential, operation,
// status and time. Any role may read it; every filter applies inside the caller's partner, so another partner's ids
// find nothing (an empty page, as for an id that does not exist).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { Environment } from '../../../../internal/src/http/locals';
import { definedOnly, queryString, queryTimestamp } from '../../../../internal/src/http/query';
import { pageRequest } from '../../../../internal/src/pagination';
import { listRequests as listLog, type StatusClass } from '../../../../keys/src/store/request-log';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listRequests(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const page = pageRequest(req.query, 'req');
    const status = req.query.status === undefined ? undefined : Number(req.query.status);
    const filter = definedOnly({
      requestId: queryString(req.query, 'requestId'),
      appId: queryString(req.query, 'appId'),
      credentialId: queryString(req.query, 'credentialId'),
      operationId: queryString(req.query, 'operationId'),
      status,
      statusClass: queryString<StatusClass>(req.query, 'statusClass'),
      environment: queryString<Environment>(req.query, 'environment'),
      // Normalised to the stored form, so that comparing text compares instants (an offset is allowed on input).
      from: queryTimestamp(req.query, 'from'),
      to: queryTimestamp(req.query, 'to'),
    });
    res.json(await listLog(deps, partnerScopeOf(res), filter, page));
  };
}
