// STUB revokePersonalToken: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function revokePersonalToken(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('revokePersonalToken is not implemented yet');
  };
}
