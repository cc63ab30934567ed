// STUB operatorSuspendPartner: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorSuspendPartner(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorSuspendPartner is not implemented yet');
  };
}
