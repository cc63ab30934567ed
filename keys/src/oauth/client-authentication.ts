// Client authentication for the client-credentials grant (RFC 6749 §2.3.1, §4.4.2), as a pure rule over the
// client's stored record: the presented secret is compared, in constant time, with the current digest and with
// the previous one while its overlap lasts; then the client's app and partner must be usable. The same standing
// rule decides, at verification, whether a token's client still stands behind it.
import type { Environment } from '../domain/environment';
import { checkAgainstDigest, digestKey, type KeyDigest } from '../domain/key-digest';
import { parseSecret } from '../domain/key-format';
import type { SecretRing } from '../domain/secret-ring';
import type { ClientAuthFailure } from './token-outcomes';

/** What a client's status depends on: itself, its app, its partner and its plan (no secrets: this is cached). */
export interface ClientStanding {
  readonly clientId: string;
  readonly partnerId: string;
  readonly appId: string;
  readonly environment: Environment;
  readonly scopes: readonly string[];
  readonly accessTokenTtlSeconds: number;
  readonly app: { readonly status: string; readonly deleted: boolean; readonly scopes: readonly string[] };
  readonly partner: { readonly status: string };
  readonly plan: { readonly id: string; readonly scopes: readonly string[] };
}

/** The standing and the stored secrets: what keys/src/store/oauth-clients.ts reads for /oauth/token. */
export interface OAuthClientRecord extends ClientStanding {
  readonly secret: KeyDigest;
  /** The secret before the last rotation, and until when it still works; null when there is none. */
  readonly previousSecret: (KeyDigest & { readonly expiresAt: string }) | null;
}

export type ClientAuthentication =
  | { readonly ok: true; readonly matched: 'current' | 'previous'; readonly needsRedigest: boolean }
  | { readonly ok: false; readonly reason: ClientAuthFailure };

/**
 * Authenticates a presented secret against a client's record (undefined: no such client). The secret is checked
 * before the app and partner, so a wrong secret is logged as `wrong_secret` whatever state the tenant is in, and
 * only someone holding the secret learns (in the log) that the app or partner is the problem.
 */
export function authenticateClient(
  record: OAuthClientRecord | undefined,
  presentedSecret: string,
  peppers: SecretRing,
  now: Date,
): ClientAuthentication {
  const parsed = parseSecret('oauth_client_secret', presentedSecret);
  if (!parsed.ok) return { ok: false, reason: 'malformed_secret' };
  if (record === undefined) {
    // Do the digest work a known client would cost, so the answer's timing says less about the id's existence.
    digestKey(peppers.current, presentedSecret);
    return { ok: false, reason: 'unknown_client' };
  }
  // Both comparisons always run: which one matched is not given away by timing either.
  const current = checkAgainstDigest(peppers, record.secret, presentedSecret);
  const previous =
    record.previousSecret !== null && Date.parse(record.previousSecret.expiresAt) > now.getTime()
      ? checkAgainstDigest(peppers, record.previousSecret, presentedSecret)
      : { matches: false as const };
  const matched = current.matches ? current : previous.matches ? previous : null;
  if (matched === null || !matched.matches) return { ok: false, reason: 'wrong_secret' };
  if (parsed.environment !== record.environment) return { ok: false, reason: 'environment_mismatch' };
  const standing = clientStandingFailure(record);
  if (standing !== null) return { ok: false, reason: standing };
  return {
    ok: true,
    matched: current.matches ? 'current' : 'previous',
    needsRedigest: matched.needsRedigest,
  };
}

/** Why a client cannot act now (its app deleted or not active, its partner suspended), or null if it can. */
export function clientStandingFailure(
  standing: ClientStanding,
): 'app_deleted' | 'app_not_active' | 'partner_suspended' | null {
  if (standing.app.deleted) return 'app_deleted';
  // Anything but `active` is unusable, so a status added later fails closed.
  if (standing.app.status !== 'active') return 'app_not_active';
  if (standing.partner.status !== 'active') return 'partner_suspended';
  return null;
}

/** The record without its digests, for the verifier's cache. */
export function toClientStanding(record: OAuthClientRecord): ClientStanding {
  const { secret: _secret, previousSecret: _previous, ...standing } = record;
  return standing;
}
