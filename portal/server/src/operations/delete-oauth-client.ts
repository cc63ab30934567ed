// STUB deleteOAuthClient: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function deleteOAuthClient(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('deleteOAuthClient is not implemented yet');
  };
}
