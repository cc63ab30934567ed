// STUB operatorRejectApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorRejectApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorRejectApp is not implemented yet');
  };
}
