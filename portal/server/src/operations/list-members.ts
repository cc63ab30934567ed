// STUB listMembers: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listMembers(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listMembers is not implemented yet');
  };
}
