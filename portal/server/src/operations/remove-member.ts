// STUB removeMember: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function removeMember(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('removeMember is not implemented yet');
  };
}
