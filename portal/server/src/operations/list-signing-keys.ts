// STUB listSigningKeys: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listSigningKeys(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listSigningKeys is not implemented yet');
  };
}
