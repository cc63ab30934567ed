// STUB getPartnerUsage: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function getPartnerUsage(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('getPartnerUsage is not implemented yet');
  };
}
