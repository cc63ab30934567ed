// DELETE /personal-tokens/{personalTokenId}: revokes one of the caller's own tokens at once (a token may revoke
// itself); allowed while the partner is suspended (authenticate.ts). Another member's token is a 404.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { revokePersonalToken as revokePersonalTokenInStore } from '../../../../keys/src/store/personal-tokens';
import { auditContextOf, memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function revokePersonalToken(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const { personalTokenId } = req.params as { personalTokenId: string };
    const caller = memberOf(res);
    const revoked = await revokePersonalTokenInStore(
      deps,
      { id: caller.memberId, partnerId: caller.partnerId },
      personalTokenId,
      auditContextOf(req, res),
    );
    // The portal checks tokens against the store at every request, so the revoke already holds here; the event
    // is for any process that keeps verified credentials, as after every revoke.
    await deps.invalidations.publish({ type: 'credential', credentialId: revoked.id });
    res.status(204).end();
  };
}
