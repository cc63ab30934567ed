// GET /apps/{appId}/signing-keys: the app's request-signing keys, newest first, optionally in one status; HMAC
// keys show only the last four characters of their secret, Ed25519 keys their public key and thumbprint.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { definedOnly, queryString } from '../../../../internal/src/http/query';
import { pageRequest } from '../../../../internal/src/pagination';
import { listSigningKeys as listKeys, type SigningKeyStatus } from '../../../../keys/src/store/signing-keys';
import { partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function listSigningKeys(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const page = pageRequest(req.query, 'sig');
    const filter = definedOnly({ status: queryString<SigningKeyStatus>(req.query, 'status') });
    res.json(await listKeys(deps, partnerScopeOf(res), String(req.params.appId), filter, page));
  };
}
