// STUB getMember: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getMember(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getMember is not implemented yet');
  };
}
