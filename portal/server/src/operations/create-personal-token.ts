// STUB createPersonalToken: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function createPersonalToken(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('createPersonalToken is not implemented yet');
  };
}
