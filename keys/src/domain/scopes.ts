// Scopes, `<api>:<read|write>`: what a credential may do. Parsing, normalisation and the set relations the
// management API (a key's scopes ⊆ its app's ⊆ its plan's) and the gateway (granted ⊇ required) rely on.
//
// `<api>:write` does NOT imply `<api>:read`. The specs grant them separately (a plan or app lists both when it
// wants both, and every mutating operation requires only `<api>:write`), a write-only credential is a legitimate
// least-privilege set-up (a device that only posts), and access tokens carry scopes as plain strings (RFC 6749
// §3.3, RFC 9068 `scope`) that backends and SDKs compare literally: an implication would have to be taught to
// every one of them, and forgetting it anywhere would widen or narrow access.

export type ScopeAccess = 'read' | 'write';

export interface ParsedScope {
  readonly api: string;
  readonly access: ScopeAccess;
}

/** The public APIs and their scopes, as the `Scope` enum of specs/platform/openapi.yaml (a test checks it). */
export const PUBLIC_SCOPES = [
  'crm:read',
  'crm:write',
  'entitlements:read',
  'entitlements:write',
  'orders:read',
  'orders:write',
] as const;

export type PublicScope = (typeof PUBLIC_SCOPES)[number];

/** The management API's own scopes, for personal access tokens (the spec's `PlatformScope`). */
export const PLATFORM_SCOPES = ['platform:read', 'platform:write'] as const;

export type PlatformScope = (typeof PLATFORM_SCOPES)[number];

/** The grammar of any scope; whether a given one exists is a separate question (validateScopes). */
export const SCOPE_PATTERN = /^([a-z][a-z0-9-]{0,31}):(read|write)$/;

export function parseScope(text: string): ParsedScope | null {
  const match = SCOPE_PATTERN.exec(text);
  if (match === null) return null;
  return { api: match[1] as string, access: match[2] as ScopeAccess };
}

export function isScope(text: string): boolean {
  return SCOPE_PATTERN.test(text);
}

/** Each scope once, in code-unit order (`crm:read` before `crm:write`): the stored and compared form. */
export function normaliseScopes<S extends string>(scopes: Iterable<S>): S[] {
  return [...new Set(scopes)].sort(compareCodeUnits);
}

export type ScopeValidation<S extends string> =
  { readonly ok: true; readonly scopes: S[] } | { readonly ok: false; readonly unknown: string[] };

/** Checks every entry against `known` and returns the normalised list, or the entries that are not known. */
export function validateScopes<S extends string>(
  scopes: Iterable<string>,
  known: readonly S[],
): ScopeValidation<S> {
  const knownSet = new Set<string>(known);
  const list = [...scopes];
  const unknown = normaliseScopes(list.filter((scope) => !knownSet.has(scope)));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, scopes: normaliseScopes(list as S[]) };
}

/** Whether every requested scope is allowed (a key's scopes within its app's). The empty set is a subset. */
export function isSubset(requested: Iterable<string>, allowed: Iterable<string>): boolean {
  const allowedSet = allowed instanceof Set ? (allowed as ReadonlySet<string>) : new Set(allowed);
  for (const scope of requested) if (!allowedSet.has(scope)) return false;
  return true;
}

/**
 * Whether `granted` satisfies an operation that requires all of `required` (an OpenAPI security requirement's
 * scope list). Literal membership: no wildcard, no write-implies-read (see the header).
 */
export function satisfies(granted: readonly string[], required: readonly string[]): boolean {
  for (const scope of required) if (!granted.includes(scope)) return false;
  return true;
}

/** The required scopes `granted` lacks, for the 403's detail and RFC 6750 §3 `scope` attribute. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return normaliseScopes(required.filter((scope) => !granted.includes(scope)));
}

/**
 * The scopes in every one of the lists: a credential's effective scopes are its own ∩ its app's ∩ its plan's, so
 * narrowing an app or changing a plan narrows its credentials at once without rewriting them.
 */
export function intersectScopes<S extends string>(
  first: readonly S[],
  ...others: readonly (readonly string[])[]
): S[] {
  const sets = others.map((list) => new Set(list));
  return normaliseScopes(first.filter((scope) => sets.every((set) => set.has(scope))));
}

/** The space-separated `scope` of a token response and of an access token's claims (RFC 6749 §3.3). */
export function formatScopeClaim(scopes: readonly string[]): string {
  return normaliseScopes(scopes).join(' ');
}

/** The scopes of a `scope` parameter or claim: split on spaces, empty entries ignored, normalised. */
export function parseScopeClaim(claim: string): string[] {
  return normaliseScopes(claim.split(' ').filter((scope) => scope !== ''));
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
