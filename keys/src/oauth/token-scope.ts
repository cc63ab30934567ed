// Which scopes a token request is granted (RFC 6749 §3.3 and §4.4.2): the requested ones if every one of them is
// held, where "held" is the client's ∩ its app's ∩ its plan's scopes; all held scopes when none is requested.
import {
  intersectScopes,
  normaliseScopes,
  parseScopeClaim,
  PUBLIC_SCOPES,
  type PublicScope,
} from '../domain/scopes';

export type ScopeGrant =
  | { readonly ok: true; readonly scopes: PublicScope[] }
  /** `not_held`: a requested scope is not among the held ones; `malformed`: not a scope parameter; `none`: empty. */
  | { readonly ok: false; readonly reason: 'not_held' | 'malformed' | 'none'; readonly scopes: string[] };

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces. */
const SCOPE_PARAMETER = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

export function grantScopes(
  requested: unknown,
  held: { client: readonly string[]; app: readonly string[]; plan: readonly string[] },
): ScopeGrant {
  // A stored scope no API offers (any more) is never granted, like the API key verdict does.
  const allowed = intersectScopes<PublicScope>([...PUBLIC_SCOPES], held.client, held.app, held.plan);
  if (requested === undefined || requested === null || requested === '') {
    if (allowed.length === 0) return { ok: false, reason: 'none', scopes: [] };
    return { ok: true, scopes: allowed };
  }
  if (typeof requested !== 'string' || !SCOPE_PARAMETER.test(requested)) {
    return { ok: false, reason: 'malformed', scopes: [] };
  }
  const asked = parseScopeClaim(requested);
  const notHeld = asked.filter((scope) => !(allowed as string[]).includes(scope));
  // invalid_scope names only what was asked for and refused, never what else the client holds.
  if (notHeld.length > 0) return { ok: false, reason: 'not_held', scopes: normaliseScopes(notHeld) };
  return { ok: true, scopes: asked as PublicScope[] };
}
