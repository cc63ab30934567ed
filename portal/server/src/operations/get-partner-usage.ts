// GET /usage: the requests of all the partner's apps (deleted ones included) over a range of UTC days, grouped as
// asked and optionally in one environment, with the current quota consumption of every current app.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { Environment } from '../../../../internal/src/http/locals';
import { queryString } from '../../../../internal/src/http/query';
import { usageReport } from '../../../../keys/src/store/usage-reports';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { usageQueryOf } from '../usage-query';

export function getPartnerUsage(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const environment = queryString<Environment>(req.query, 'environment');
    const report = await usageReport(deps, partnerScopeOf(res), {
      ...usageQueryOf(req),
      ...(environment !== undefined ? { environment } : {}),
    });
    res.json(report);
  };
}
