// DELETE /members/{memberId}: removes a member or withdraws an invitation; the store ends its sessions and deletes
// its personal tokens in the same transaction. An admin may not remove an owner (403); the last owner stays (409).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { removeMember as removeMemberInStore } from '../../../../keys/src/store/member-changes';
import { getMember } from '../../../../keys/src/store/members';
import { auditContextOf, memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { assertMayManageMember } from '../member-rules';

export function removeMember(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    const scope = { partnerId: caller.partnerId };
    const { memberId } = req.params as { memberId: string };
    const target = await getMember(deps, scope, memberId);
    assertMayManageMember(caller, { target: target.role });
    // Checked again on the row locked by the removal: a concurrent promotion to owner cannot slip in between.
    await removeMemberInStore(deps, scope, memberId, auditContextOf(req, res), (locked) =>
      assertMayManageMember(caller, { target: locked.role }),
    );
    // Nothing to publish: sessions and personal tokens are looked up in the store at every request
    // (auth/authenticate.ts) and no process caches them, so deleting the rows is what ends them.
    res.status(204).end();
  };
}
