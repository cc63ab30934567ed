// STUB createApp: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function createApp(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('createApp is not implemented yet');
  };
}
