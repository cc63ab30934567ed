// STUB updatePartner: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function updatePartner(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('updatePartner is not implemented yet');
  };
}
