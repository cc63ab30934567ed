// STUB listApps: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listApps(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listApps is not implemented yet');
  };
}
