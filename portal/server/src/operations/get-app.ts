// STUB getApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getApp is not implemented yet');
  };
}
