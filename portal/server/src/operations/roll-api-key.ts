// STUB rollApiKey: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function rollApiKey(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('rollApiKey is not implemented yet');
  };
}
