// STUB getOAuthClient: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getOAuthClient(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getOAuthClient is not implemented yet');
  };
}
