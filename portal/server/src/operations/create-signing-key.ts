// POST /apps/{appId}/signing-keys: an HMAC key whose secret (`pts_<env>_…`) Portico generates and shows here only,
// or a registered Ed25519 public key (JWK or PEM); the store refuses private keys (400), invalid or duplicate keys
// (422), an app that is not active (409) and an 11th active key (409).
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { resourceLocation } from '../../../../internal/src/http/location';
import { createSigningKey as createKey, type SigningKeyInput } from '../../../../keys/src/store/signing-keys';
import { appToChange } from '../app-to-change';
import { auditContextOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function createSigningKey(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    // 404 before 403: a developer learns nothing about another partner's app, then may not touch a live one.
    const { scope, appId } = await appToChange(deps, req, res);
    // The spec's SigningKeyCreate (validated): exactly the members of the chosen algorithm's shape.
    const created = await createKey(
      deps,
      scope,
      appId,
      req.body as SigningKeyInput,
      auditContextOf(req, res),
    );
    res.location(resourceLocation(res, `apps/${appId}/signing-keys`, created.signingKey.id));
    res.status(201).json({ signingKey: created.signingKey, secret: created.secret });
  };
}
