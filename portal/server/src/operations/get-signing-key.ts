// STUB getSigningKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getSigningKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getSigningKey is not implemented yet');
  };
}
