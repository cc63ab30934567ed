// The operator's view of the partners (operatorListPartners): every tenant of the installation, newest first, with
// the platform spec's filters. Deliberately not tenant-scoped: only the operator token reaches it.
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { fetchPage } from '../../../internal/src/store/paging';
import { matchesText } from '../../../internal/src/store/query-helpers';
import type { KeysStoreDeps } from './deps';
import { toPartner, type Partner, type PartnerStatus } from './partners';

export interface OperatorPartnerFilter {
  status?: PartnerStatus;
  planId?: string;
  /** Case-insensitive, anywhere in the name or the contact email. */
  q?: string;
}

/**
 * Partners newest first. `status` and `planId` are served by the (status, id) and (plan_id, id) indexes of
 * migration 0001, which also give the order; `q` is a substring match that no b-tree index can serve, so it
 * filters rows read newest first — fine for the installation's tenants, which number thousands, not millions.
 */
export async function listAllPartners(
  deps: Pick<KeysStoreDeps, 'db'>,
  filter: OperatorPartnerFilter,
  page: PageRequest,
): Promise<Page<Partner>> {
  return fetchPage(operatorPartnersQuery(deps, filter), page, toPartner);
}

/** The filtered query before paging, exported so that a test can print its plan. */
export function operatorPartnersQuery(deps: Pick<KeysStoreDeps, 'db'>, filter: OperatorPartnerFilter) {
  let query = deps.db.selectFrom('partners').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.planId !== undefined) query = query.where('plan_id', '=', filter.planId);
  if (filter.q !== undefined) query = query.where(matchesText(['name', 'contact_email'], filter.q));
  return query;
}
