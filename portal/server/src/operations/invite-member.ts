// POST /members: invites a person by email with a role. The single-use `pti_…` token is stored only as a keyed
// digest and reaches the invitee only in the invitation email (deps.mailer), never in this response (spec: Member).
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { storedDigest } from '../../../../keys/src/domain/key-digest';
import { generateInvitationToken } from '../../../../keys/src/domain/key-format';
import { inviteMember as inviteMemberInStore } from '../../../../keys/src/store/member-invitations';
import type { Role } from '../../../../keys/src/store/members';
import { getPartner } from '../../../../keys/src/store/partners';
import { auditContextOf, memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { invitationEmail } from '../mail/invitation-email';
import { assertMayManageMember } from '../member-rules';
import { memberView } from '../representations';

export function inviteMember(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    const body = req.body as { email: string; role: Role };
    assertMayManageMember(caller, { grant: body.role });
    const token = generateInvitationToken().secret;
    const member = await inviteMemberInStore(
      deps,
      { partnerId: caller.partnerId },
      { email: body.email, role: body.role, invitation: storedDigest(deps.peppers, token) },
      auditContextOf(req, res),
    );
    const partner = await getPartner(deps, caller.partnerId);
    // Sent only once the invitation is stored (an email for one that failed would carry a dead token). A failed
    // send cannot undo the invitation: it is logged without the token, and the member stays `invited` in the
    // list, where an owner or admin sees it and can withdraw it and invite again.
    try {
      await deps.mailer.send(
        invitationEmail({
          to: member.email,
          partnerName: partner.name,
          inviterEmail: caller.email,
          role: member.role,
          token,
          expiresAt: member.invitationExpiresAt!,
          publicUrl: deps.publicUrl,
        }),
      );
    } catch (error) {
      res.locals.log.error({ err: error, memberId: member.id }, 'the invitation email could not be sent');
    }
    res.location(resourceLocation(res, 'members', member.id));
    res.status(201).json(memberView(member));
  };
}
