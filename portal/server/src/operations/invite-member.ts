// STUB inviteMember: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function inviteMember(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('inviteMember is not implemented yet');
  };
}
