// STUB operatorApproveApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorApproveApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorApproveApp is not implemented yet');
  };
}
