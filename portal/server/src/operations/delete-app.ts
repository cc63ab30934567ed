// STUB deleteApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function deleteApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('deleteApp is not implemented yet');
  };
}
