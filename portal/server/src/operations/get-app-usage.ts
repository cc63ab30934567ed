// GET /apps/{appId}/usage: the app's metered requests over a range of UTC days, grouped as asked, with its current
// consumption of each quota of the partner's plan. A missing, deleted or another partner's app is a 404.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { usageReport } from '../../../../keys/src/store/usage-reports';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { usageQueryOf } from '../usage-query';

export function getAppUsage(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const report = await usageReport(deps, partnerScopeOf(res), {
      ...usageQueryOf(req),
      appId: String(req.params.appId),
    });
    res.json(report);
  };
}
