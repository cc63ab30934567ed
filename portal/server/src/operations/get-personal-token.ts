// STUB getPersonalToken: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getPersonalToken(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getPersonalToken is not implemented yet');
  };
}
