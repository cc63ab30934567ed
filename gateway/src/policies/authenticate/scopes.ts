// Authorisation by scope: an operation's security requirement names, per scheme, the scopes it needs (specs/*:
// `<api>:read` for reads, `<api>:write` for changes). A caller lacking one gets 403 `insufficient_scope` with the
// RFC 6750 §3.1 challenge naming the scope — this masks nothing: the caller already proved who it is.
import { ProblemError } from '../../../../internal/src/problem/problem';
import type { RouteOperation } from '../../routes';
import type { GatewayCaller } from './caller';

export function assertScopes(caller: GatewayCaller, operation: RouteOperation): void {
  const required = operation.scopes[caller.scheme];
  if (required === undefined) {
    // The operation does not accept this scheme at all; no scope could make it acceptable.
    throw new ProblemError(
      'insufficient_scope',
      `${operation.operationId} cannot be called with this credential type.`,
    );
  }
  const missing = required.filter((scope) => !caller.scopes.includes(scope));
  if (missing.length > 0) {
    throw new ProblemError('insufficient_scope', `This credential lacks the scope ${missing.join(' ')}.`, {
      headers: {
        'WWW-Authenticate': `Bearer realm="portico", error="insufficient_scope", scope="${missing.join(' ')}"`,
      },
    });
  }
}
