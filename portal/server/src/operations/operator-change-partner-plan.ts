// STUB operatorChangePartnerPlan: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function operatorChangePartnerPlan(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('operatorChangePartnerPlan is not implemented yet');
  };
}
