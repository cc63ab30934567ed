// GET /operator/apps: the apps of every partner, newest first, filtered by status (pending_approval is the review
// queue), environment or partner. The operator only.
import type { Environment } from '../../../../internal/src/http/locals';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { definedOnly, queryString } from '../../../../internal/src/http/query';
import { pageRequest } from '../../../../internal/src/pagination';
import type { AppStatus } from '../../../../keys/src/store/apps';
import { listAllApps } from '../../../../keys/src/store/operator-apps';
import { assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorListApps(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const query = req.query as Record<string, unknown>;
    const filter = definedOnly({
      status: queryString<AppStatus>(query, 'status'),
      environment: queryString<Environment>(query, 'environment'),
      partnerId: queryString(query, 'partnerId'),
    });
    res.json(await listAllApps(deps, filter, pageRequest(query, 'app')));
  };
}
