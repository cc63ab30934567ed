// STUB createOAuthClient: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function createOAuthClient(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('createOAuthClient is not implemented yet');
  };
}
