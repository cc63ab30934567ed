// STUB operatorListPartners: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorListPartners(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorListPartners is not implemented yet');
  };
}
