// STUB operatorReinstatePartner: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorReinstatePartner(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorReinstatePartner is not implemented yet');
  };
}
