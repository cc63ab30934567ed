// STUB listPersonalTokens: replaced by its implementation.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import type { PortalDeps } from '../deps';

export function listPersonalTokens(_deps: PortalDeps): OperationHandler {
  return async () => {
    throw new Error('listPersonalTokens is not implemented yet');
  };
}
