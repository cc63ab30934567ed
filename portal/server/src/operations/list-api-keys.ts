// STUB listApiKeys: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listApiKeys(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listApiKeys is not implemented yet');
  };
}
