// STUB updateApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function updateApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('updateApp is not implemented yet');
  };
}
