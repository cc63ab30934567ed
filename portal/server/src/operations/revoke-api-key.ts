// STUB revokeApiKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function revokeApiKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('revokeApiKey is not implemented yet');
  };
}
