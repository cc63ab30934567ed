// STUB createSigningKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function createSigningKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('createSigningKey is not implemented yet');
  };
}
