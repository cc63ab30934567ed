// Decides whether a request-signing key (RFC 9421 `keyid`) may be used, from its stored record, its app, partner
// and plan at a given time: the pure rule behind the gateway's signature check, shared by its cache and the store.
// The signature itself is checked by the caller with the key material this returns.
import type { Environment } from './environment';
import { intersectScopes, PUBLIC_SCOPES, type PublicScope } from './scopes';

export interface SigningKeyRecord {
  readonly keyId: string;
  readonly partnerId: string;
  readonly appId: string;
  readonly environment: Environment;
  readonly algorithm: string;
  readonly status: string;
  readonly app: { readonly status: string; readonly deleted: boolean; readonly scopes: readonly string[] };
  readonly partner: { readonly status: string };
  readonly plan: { readonly id: string; readonly scopes: readonly string[] };
}

export type SigningKeyFailure = 'not_found' | 'revoked' | 'app_not_active' | 'partner_suspended';

/** Who a valid signature speaks for: as a verified API key, with the app's scopes ∩ its plan's. */
export interface UsableSigningKey {
  readonly keyId: string;
  readonly algorithm: 'hmac-sha256' | 'ed25519';
  readonly partnerId: string;
  readonly appId: string;
  readonly environment: Environment;
  readonly scopes: readonly PublicScope[];
  readonly planId: string;
}

export type SigningKeyDecision =
  { readonly outcome: 'valid'; readonly key: UsableSigningKey } | { readonly outcome: SigningKeyFailure };

/**
 * The outcome for a key found by its id (undefined: none was). As for API keys, the key's own state comes first,
 * then its app's, then its partner's; an algorithm this build does not know fails closed as not_found. The HTTP
 * layer answers every failure with the same 401.
 */
export function decideSigningKeyOutcome(record: SigningKeyRecord | undefined): SigningKeyDecision {
  if (record === undefined || record.app.deleted) return { outcome: 'not_found' };
  if (record.algorithm !== 'hmac-sha256' && record.algorithm !== 'ed25519') return { outcome: 'not_found' };
  if (record.status !== 'active') return { outcome: 'revoked' };
  if (record.app.status !== 'active') return { outcome: 'app_not_active' };
  if (record.partner.status !== 'active') return { outcome: 'partner_suspended' };
  return {
    outcome: 'valid',
    key: {
      keyId: record.keyId,
      algorithm: record.algorithm,
      partnerId: record.partnerId,
      appId: record.appId,
      environment: record.environment,
      scopes: intersectScopes<PublicScope>([...PUBLIC_SCOPES], record.app.scopes, record.plan.scopes),
      planId: record.plan.id,
    },
  };
}
