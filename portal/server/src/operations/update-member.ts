// STUB updateMember: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function updateMember(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('updateMember is not implemented yet');
  };
}
