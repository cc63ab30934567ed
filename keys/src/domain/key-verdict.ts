// Decides a key's verification outcome from its stored record, its app, partner and plan, at a given time:
// the pure rule shared by the store's lookup and the cache's re-check, so both reach the same answer.
import type { Environment } from './environment';
import { keyFailure, keyValid } from './outcomes';
import type { KeyVerification } from './outcomes';
import { intersectScopes, PUBLIC_SCOPES } from './scopes';
import type { PublicScope } from './scopes';

/**
 * What the uncached lookup reads (keys/src/store/api-key-lookup.ts returns a superset of it). Statuses are
 * plain strings as stored: anything but `active` is not usable, so a status added later fails closed.
 */
export interface KeyRecord {
  readonly keyId: string;
  readonly partnerId: string;
  readonly appId: string;
  readonly environment: Environment;
  readonly keyScopes: readonly string[];
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly app: { readonly status: string; readonly deleted: boolean; readonly scopes: readonly string[] };
  readonly partner: { readonly status: string };
  readonly plan: { readonly id: string; readonly scopes: readonly string[] };
}

/**
 * The outcome for a key found by its digest (undefined: none was). A key of a deleted app is `not_found`, as it
 * would be had it been deleted with it. Then the key's own state is reported first (revoked, then expired), then
 * its app's, then its partner's, so the portal shows the most specific reason. A key expires at `expiresAt`
 * exactly (a roll with a zero overlap ends the old key at once).
 */
export function decideKeyOutcome(record: KeyRecord | undefined, now: Date): KeyVerification {
  if (record === undefined || record.app.deleted) return keyFailure('not_found');
  const { app, partner, plan } = record;
  if (record.revokedAt !== null) return keyFailure('revoked');
  if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now.getTime())
    return keyFailure('expired');
  if (app.status !== 'active') return keyFailure('app_not_active');
  if (partner.status !== 'active') return keyFailure('partner_suspended');
  return keyValid({
    keyId: record.keyId,
    appId: record.appId,
    partnerId: record.partnerId,
    environment: record.environment,
    // A stored scope no API offers any more (or never did) drops out here rather than reaching the gateway.
    scopes: intersectScopes<PublicScope>([...PUBLIC_SCOPES], record.keyScopes, app.scopes, plan.scopes),
    planId: plan.id,
    expiresAt: record.expiresAt,
  });
}
