// STUB listAuditEvents: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listAuditEvents(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listAuditEvents is not implemented yet');
  };
}
