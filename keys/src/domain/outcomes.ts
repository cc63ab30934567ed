// The closed list of what verifying an API key can conclude, as data (Unkey's style): the gateway maps each to
// a response, the portal shows the reasons to the partner, and the log records them.
//
// Masking: every failure here is *authentication* failing, and the HTTP layer must answer all of them alike —
// 401, the same problem body and `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1) — whatever the
// outcome. Telling `revoked` or `expired` from `not_found` would confirm to whoever holds a leaked key that it
// was real (and whose it is), and `app_not_active` / `partner_suspended` would reveal a tenant's state. The
// reason goes to the log and, for the outcomes that name a key, to its partner's portal. A failed
// authentication never spends the quota of the app it names (DESIGN.md "Limits").
//
// Not here: `insufficient_scope`. Scopes are authorisation, checked per route after the caller is known; that
// answer is a 403 (RFC 6750 §3.1) that masks nothing, and it comes from scopes.ts. Rate limits and quotas are
// the limits policy's outcomes, for the same reason.
import type { Environment } from './environment';
import type { PublicScope } from './scopes';

export const KEY_FAILURES = [
  /** Not the API key format, or its checksum fails: refused before any cache or store lookup. */
  'malformed',
  /** Well-formed, but no key has this digest (never issued, or deleted with its app). */
  'not_found',
  /** Revoked on request (management API or a leak report). */
  'revoked',
  /** Past its `expiresAt`, including a rolled key whose overlap has ended. */
  'expired',
  /** Its app is not `active`: a live app still pending approval, or rejected. */
  'app_not_active',
  /** Its partner is suspended by the operator: every credential of the partner is refused. */
  'partner_suspended',
] as const;

export type KeyFailure = (typeof KEY_FAILURES)[number];

/** What a valid key tells the gateway: who is calling, in which world, with what, on which plan. */
export interface VerifiedKey {
  readonly keyId: string;
  readonly appId: string;
  readonly partnerId: string;
  readonly environment: Environment;
  /** The effective scopes: the key's ∩ its app's ∩ its plan's. */
  readonly scopes: readonly PublicScope[];
  /** Rate limits and quotas come from the plan, by id (plans are few and cached apart from keys). */
  readonly planId: string;
  /** When the key stops being valid (null: never); a cache must not keep a `valid` answer beyond it. */
  readonly expiresAt: string | null;
}

export type KeyVerification =
  { readonly outcome: 'valid'; readonly key: VerifiedKey } | { readonly outcome: KeyFailure };

export type KeyOutcome = KeyVerification['outcome'];

// One frozen object per failure: returning a failure allocates nothing (the malformed path runs per request).
const FAILURES: Readonly<Record<KeyFailure, KeyVerification>> = Object.freeze(
  Object.fromEntries(KEY_FAILURES.map((outcome) => [outcome, Object.freeze({ outcome })])) as Record<
    KeyFailure,
    KeyVerification
  >,
);

export function keyFailure(outcome: KeyFailure): KeyVerification {
  return FAILURES[outcome];
}

export function keyValid(key: VerifiedKey): KeyVerification {
  return { outcome: 'valid', key };
}

export function isValid(
  verification: KeyVerification,
): verification is Extract<KeyVerification, { outcome: 'valid' }> {
  return verification.outcome === 'valid';
}

export function isKeyFailure(value: unknown): value is KeyFailure {
  return typeof value === 'string' && (KEY_FAILURES as readonly string[]).includes(value);
}

/**
 * Failures that stay true of the same key whatever happens later, which a cache may keep until evicted: a
 * revoked or expired key never comes back, and a not-found digest will not appear (keys are stored before they
 * are shown). `app_not_active` and `partner_suspended` can be lifted by the operator, so they are cached only as
 * long as a `valid` answer would be, and invalidated the same way.
 */
export function isPermanentFailure(outcome: KeyOutcome): boolean {
  return outcome === 'malformed' || outcome === 'not_found' || outcome === 'revoked' || outcome === 'expired';
}

/** Whether the key's partner may be told about this outcome (it names a key of theirs). */
export function namesAKey(outcome: KeyOutcome): boolean {
  return outcome !== 'malformed' && outcome !== 'not_found';
}
