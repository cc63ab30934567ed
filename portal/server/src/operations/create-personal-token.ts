// POST /personal-tokens: a `ptp_…` bearer token that acts as the caller within the given scopes. The full token is
// in this response only; the store keeps its keyed digest. Only a session reaches here: a token cannot mint tokens.
import { resourceLocation } from '../../../../internal/src/http/location';
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { storedDigest } from '../../../../keys/src/domain/key-digest';
import { generatePersonalToken } from '../../../../keys/src/domain/key-format';
import { createPersonalToken as createPersonalTokenInStore } from '../../../../keys/src/store/personal-tokens';
import { auditContextOf, memberOf } from '../auth/caller';
import type { PortalDeps } from '../deps';
import { personalTokenView } from '../representations-personal-tokens';

interface PersonalTokenCreate {
  name: string;
  scopes: string[];
  expiresAt?: string;
}

export function createPersonalToken(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const caller = memberOf(res);
    // The spec's security admits only a session; authenticate.ts refuses a token, so this is a wiring guard.
    if (caller.via.method !== 'session') throw new Error('createPersonalToken reached without a session');
    const body = req.body as PersonalTokenCreate;
    const generated = generatePersonalToken();
    const { digest, pepperId } = storedDigest(deps.peppers, generated.secret);
    const token = await createPersonalTokenInStore(
      deps,
      { id: caller.memberId, partnerId: caller.partnerId },
      {
        name: body.name,
        scopes: body.scopes,
        secret: { digest, pepperId, prefix: generated.prefix, last4: generated.last4 },
        ...(body.expiresAt !== undefined ? { expiresAt: body.expiresAt } : {}),
      },
      auditContextOf(req, res),
    );
    res.location(resourceLocation(res, 'personal-tokens', token.id));
    res.status(201).json({ personalToken: personalTokenView(token), token: generated.secret });
  };
}
