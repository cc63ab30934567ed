// Label values for the gateway's metrics, each from a closed set: a label taken from the request (a raw path, a
// credential, a free-text reason) would grow the series without bound and could leak a secret into the scrape.
import type { LimiterKind } from '../policies/limits/limits-options';
import type { StoreErrorReason } from '../policies/limits/store-call';
import type { UpstreamFailureKind } from '../policies/proxy/upstream-failure';

export const UNKNOWN = 'unknown';
export const OTHER = 'other';

export type UpstreamErrorKind = UpstreamFailureKind | 'circuit_open';
const UPSTREAM_ERROR_KINDS: ReadonlySet<string> = new Set<UpstreamErrorKind>([
  'connect',
  'broken',
  'timeout',
  'circuit_open',
  'other',
]);

/** The scheme part of the authentication policy's refusal reason (`api_key:revoked` → `api_key`). */
export type AuthFailureReason =
  'none' | 'invalid' | 'api_key' | 'access_token' | 'signature' | 'client_secret';
const AUTH_FAILURE_REASONS: ReadonlySet<string> = new Set<AuthFailureReason>([
  'none',
  'invalid',
  'api_key',
  'access_token',
  'signature',
  // A wrong OAuth client secret at POST /oauth/token.
  'client_secret',
]);

/** The limiter that refused, or `unavailable` when a limiter's store was down and its policy refused (503). */
export type LimitedKind = LimiterKind | 'unavailable';
const LIMITER_KINDS: ReadonlySet<string> = new Set<LimiterKind>([
  'rate_limit',
  'quota',
  'pre_auth',
  'auth_failures',
]);
const LIMITED_KINDS: ReadonlySet<string> = new Set<LimitedKind>([
  ...LIMITER_KINDS,
  'unavailable',
] as LimitedKind[]);
const STORE_ERROR_REASONS: ReadonlySet<string> = new Set<StoreErrorReason>(['not_ready', 'timeout', 'error']);

/**
 * The `api` and `operation` labels. With the route table's operations (plus any fixed names the app adds, such as
 * its stack names) only those pairs are kept; without it, pairs are kept first come up to `maxPairs` and later ones
 * are `unknown`. Either way a label value never carries a path segment or more than 64 characters, and an unknown
 * route never adds a series.
 */
export class OperationLabels {
  private readonly apis = new Set<string>();
  private readonly pairs = new Set<string>();
  private readonly strict: boolean;

  constructor(
    operations: Iterable<{ api: string; operationId: string }> | undefined,
    private readonly maxPairs: number,
  ) {
    this.strict = operations !== undefined;
    for (const o of operations ?? []) {
      this.apis.add(o.api);
      this.pairs.add(operationKey(o.api, o.operationId));
    }
  }

  /** `{ api, operation }`; each is `unknown` when it is not (or can no longer be) a label value. */
  of(api: string | undefined, operationId: string | undefined): { api: string; operation: string } {
    if (this.strict) {
      const knownApi = api !== undefined && this.apis.has(api) ? api : UNKNOWN;
      const known = operationId !== undefined && this.pairs.has(operationKey(knownApi, operationId));
      return { api: knownApi, operation: known ? operationId : UNKNOWN };
    }
    const apiLabel = api !== undefined && NAME_LIKE.test(api) ? api : UNKNOWN;
    const operation = operationId !== undefined && NAME_LIKE.test(operationId) ? operationId : UNKNOWN;
    const key = operationKey(apiLabel, operation);
    if (this.pairs.has(key) || (apiLabel === UNKNOWN && operation === UNKNOWN))
      return { api: apiLabel, operation };
    if (this.pairs.size < this.maxPairs) {
      this.pairs.add(key);
      return { api: apiLabel, operation };
    }
    return { api: UNKNOWN, operation: UNKNOWN };
  }
}

/** An operationId or a stack name; a path, a query or a long opaque value is not. */
const NAME_LIKE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export function operationKey(api: string, operation: string): string {
  return `${api}\u0000${operation}`;
}

/** An HTTP status code (RFC 9110 §15: three digits, 100–599), or `other`. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

export function upstreamErrorKindLabel(kind: string): string {
  return UPSTREAM_ERROR_KINDS.has(kind) ? kind : OTHER;
}

/** Accepts the coarse reason or the policy's full one (`access_token:expired`); never more than the scheme. */
export function authFailureReasonLabel(reason: string): string {
  const coarse = reason.split(':', 1)[0] ?? '';
  return AUTH_FAILURE_REASONS.has(coarse) ? coarse : OTHER;
}

export function limiterKindLabel(kind: string): string {
  return LIMITER_KINDS.has(kind) ? kind : OTHER;
}

export function limitedKindLabel(kind: string): string {
  return LIMITED_KINDS.has(kind) ? kind : OTHER;
}

export function storeErrorReasonLabel(reason: string): string {
  return STORE_ERROR_REASONS.has(reason) ? reason : OTHER;
}
