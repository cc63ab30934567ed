// STUB getApiKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getApiKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getApiKey is not implemented yet');
  };
}
