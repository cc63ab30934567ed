// STUB operatorGetPartner: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorGetPartner(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorGetPartner is not implemented yet');
  };
}
