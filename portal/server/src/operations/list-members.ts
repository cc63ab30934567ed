// GET /members: the partner's members, invited ones included, newest first, optionally of one role or status.
import { queryString } from '../../../../internal/src/http/query';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { pageRequest } from '../../../../internal/src/pagination';
import { listMembers as listMembersInStore } from '../../../../keys/src/store/member-list';
import type { MemberStatus, Role } from '../../../../keys/src/store/members';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { memberView } from '../representations';

export function listMembers(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const role = queryString<Role>(req.query, 'role');
    const status = queryString<MemberStatus>(req.query, 'status');
    const page = await listMembersInStore(
      deps,
      partnerScopeOf(res),
      { ...(role ? { role } : {}), ...(status ? { status } : {}) },
      pageRequest(req.query, 'mem'),
    );
    res.json({ ...page, data: page.data.map(memberView) });
  };
}
