// The operator's view of the apps (operatorListApps): the apps of every partner, newest first, with the platform
// spec's filters; `status = pending_approval` is the review queue. Deliberately not tenant-scoped: only the
// operator token reaches it. Deleted apps stay hidden, as they are from their partner.
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { fetchPage } from '../../../internal/src/store/paging';
import { toApp, type App, type AppStatus } from './apps';
import type { KeysStoreDeps } from './deps';

export interface OperatorAppFilter {
  status?: AppStatus;
  environment?: Environment;
  partnerId?: string;
}

/**
 * Apps newest first. `status` is served by the (status, id) index of migration 0002, in cursor order; `partnerId`
 * by an index that starts with partner_id (a partner has at most 50 apps, so sorting them is cheap); `environment`
 * alone has two values, so walking the primary key newest first finds a page after reading about twice its size.
 */
export async function listAllApps(
  deps: Pick<KeysStoreDeps, 'db'>,
  filter: OperatorAppFilter,
  page: PageRequest,
): Promise<Page<App>> {
  return fetchPage(operatorAppsQuery(deps, filter), page, toApp);
}

/** The filtered query before paging, exported so that a test can print its plan. */
export function operatorAppsQuery(deps: Pick<KeysStoreDeps, 'db'>, filter: OperatorAppFilter) {
  let query = deps.db.selectFrom('apps').selectAll().where('deleted_at', 'is', null);
  if (filter.partnerId !== undefined) query = query.where('partner_id', '=', filter.partnerId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  return query;
}
