// PATCH /members/{memberId}: changes a member's role. An admin may neither change an owner nor grant the owner
// role (403); demoting the last owner is the store's 409. Roles are read at every request, so it applies at once.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { changeMemberRole } from '../../../../keys/src/store/member-changes';
import { getMember, type Role } from '../../../../keys/src/store/members';
import { auditContextOf, memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { assertMayManageMember } from '../member-rules';
import { memberView } from '../representations';

export function updateMember(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    const scope = { partnerId: caller.partnerId };
    const { memberId } = req.params as { memberId: string };
    const { role } = req.body as { role: Role };
    // Read first: another partner's member is a 404 before any role rule could tell that it exists.
    const target = await getMember(deps, scope, memberId);
    assertMayManageMember(caller, { target: target.role, grant: role });
    // Checked again on the row locked by the change: a concurrent promotion to owner cannot slip in between.
    const updated = await changeMemberRole(deps, scope, memberId, role, auditContextOf(req, res), (locked) =>
      assertMayManageMember(caller, { target: locked.role, grant: role }),
    );
    res.json(memberView(updated));
  };
}
