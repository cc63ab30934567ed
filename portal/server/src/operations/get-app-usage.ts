// STUB getAppUsage: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getAppUsage(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getAppUsage is not implemented yet');
  };
}
