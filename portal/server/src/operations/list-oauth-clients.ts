// STUB listOAuthClients: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listOAuthClients(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listOAuthClients is not implemented yet');
  };
}
