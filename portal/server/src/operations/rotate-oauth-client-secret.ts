// STUB rotateOAuthClientSecret: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function rotateOAuthClientSecret(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('rotateOAuthClientSecret is not implemented yet');
  };
}
