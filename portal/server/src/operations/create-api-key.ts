// STUB createApiKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function createApiKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('createApiKey is not implemented yet');
  };
}
