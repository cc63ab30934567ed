// GET /apps/{appId}/api-keys: the app's keys, newest first, each with its prefix and last four characters only (the
// store never held the full key); optionally only those in one status as of now.
import { queryString } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import { listApiKeys as listStoredApiKeys, type ApiKeyStatus } from '../../../../keys/src/store/api-keys';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listApiKeys(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const status = queryString<ApiKeyStatus>(req.query, 'status');
    res.json(
      await listStoredApiKeys(
        deps,
        partnerScopeOf(res),
        String(req.params.appId),
        status === undefined ? {} : { status },
        pageRequest(req.query, 'key'),
      ),
    );
  };
}
