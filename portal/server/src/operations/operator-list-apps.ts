// STUB operatorListApps: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorListApps(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorListApps is not implemented yet');
  };
}
