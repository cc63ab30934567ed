// STUB revokeSigningKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function revokeSigningKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('revokeSigningKey is not implemented yet');
  };
}
