// STUB getPlan: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getPlan(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getPlan is not implemented yet');
  };
}
