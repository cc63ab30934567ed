// STUB listPlans: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listPlans(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listPlans is not implemented yet');
  };
}
