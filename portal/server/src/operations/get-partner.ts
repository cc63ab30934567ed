// STUB getPartner: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getPartner(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getPartner is not implemented yet');
  };
}
