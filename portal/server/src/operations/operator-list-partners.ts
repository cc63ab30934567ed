// GET /operator/partners: every partner of the installation, newest first, filtered by status, plan or a text
// search in the name and contact email. The operator only (checked by the auth layer).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { definedOnly, queryString } from '../../../../internal/src/http/query';
import { pageRequest } from '../../../../internal/src/pagination';
import { listAllPartners } from '../../../../keys/src/store/operator-partners';
import type { PartnerStatus } from '../../../../keys/src/store/partners';
import { assertOperator } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function operatorListPartners(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    assertOperator(res);
    const query = req.query as Record<string, unknown>;
    const filter = definedOnly({
      status: queryString<PartnerStatus>(query, 'status'),
      planId: queryString(query, 'planId'),
      q: queryString(query, 'q'),
    });
    res.json(await listAllPartners(deps, filter, pageRequest(query, 'prt')));
  };
}
