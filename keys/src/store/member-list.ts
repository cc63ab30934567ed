// Lists a partner's members, invited ones included, newest first (platform spec, listMembers), optionally only
// those of one role or one status.
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { fetchPage } from '../../../internal/src/store/paging';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { toMember, type Member, type MemberStatus, type Role } from './members';

export interface MemberFilter {
  role?: Role;
  status?: MemberStatus;
}

export async function listMembers(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  filter: MemberFilter,
  page: PageRequest,
): Promise<Page<Member>> {
  let query = deps.db.selectFrom('members').selectAll().where('partner_id', '=', scope.partnerId);
  if (filter.role !== undefined) query = query.where('role', '=', filter.role);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return fetchPage(query, page, toMember);
}
