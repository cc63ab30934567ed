// The gateway's uncached verification read: everything needed to decide on a presented key, in ONE query that
// starts from the unique digest index and follows primary keys to the app, the partner and the plan. The domain
// turns the row into an outcome (valid, revoked, expired, app or partner not usable …); this module decides nothing.
import { fromJsonText } from '../../../internal/src/store/query-helpers';
import type { Environment } from '../../../internal/src/http/locals';
import type { KeysStoreDeps } from './deps';
import type { PlanQuota, PlanRateLimit } from './plans';

export interface ApiKeyVerificationRow {
  keyId: string;
  /** The digest that matched, and the pepper that made it (several are tried while peppers rotate). */
  digest: string;
  pepperId: string;
  partnerId: string;
  appId: string;
  environment: Environment;
  keyScopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  replacedById: string | null;
  app: { status: string; deleted: boolean; scopes: string[] };
  partner: { status: string };
  plan: { id: string; rateLimits: PlanRateLimit[]; quotas: PlanQuota[]; apis: string[]; scopes: string[] };
}

/**
 * The key whose digest is one of `digests` (one per configured pepper, current first), with its app, partner and
 * plan; undefined when none matches. Deleted apps are returned too (`app.deleted`), so the domain can tell a key
 * that stopped working from one that never existed, if it wants to log the difference.
 */
export async function findApiKeyForVerification(
  deps: Pick<KeysStoreDeps, 'db'>,
  digests: readonly string[],
): Promise<ApiKeyVerificationRow | undefined> {
  if (digests.length === 0) return undefined;
  const row = await apiKeyVerificationQuery(deps, digests).executeTakeFirst();
  if (!row) return undefined;
  return {
    keyId: row.key_id,
    digest: row.digest,
    pepperId: row.pepper_id,
    partnerId: row.partner_id,
    appId: row.app_id,
    environment: row.environment as Environment,
    keyScopes: fromJsonText<string[]>(row.key_scopes, []),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    replacedById: row.replaced_by_id,
    app: {
      status: row.app_status,
      deleted: row.app_deleted_at !== null,
      scopes: fromJsonText<string[]>(row.app_scopes, []),
    },
    partner: { status: row.partner_status },
    plan: {
      id: row.plan_id,
      rateLimits: fromJsonText<PlanRateLimit[]>(row.plan_rate_limits, []),
      quotas: fromJsonText<PlanQuota[]>(row.plan_quotas, []),
      apis: fromJsonText<string[]>(row.plan_apis, []),
      scopes: fromJsonText<string[]>(row.plan_scopes, []),
    },
  };
}

/** The query itself, exported so that a test (and bench/keys-verify) can print its plan. */
export function apiKeyVerificationQuery(deps: Pick<KeysStoreDeps, 'db'>, digests: readonly string[]) {
  return deps.db
    .selectFrom('api_keys')
    .innerJoin('apps', 'apps.id', 'api_keys.app_id')
    .innerJoin('partners', 'partners.id', 'api_keys.partner_id')
    .innerJoin('plans', 'plans.id', 'partners.plan_id')
    .select([
      'api_keys.id as key_id',
      'api_keys.digest',
      'api_keys.pepper_id',
      'api_keys.partner_id',
      'api_keys.app_id',
      'api_keys.environment',
      'api_keys.scopes as key_scopes',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.replaced_by_id',
      'apps.status as app_status',
      'apps.deleted_at as app_deleted_at',
      'apps.scopes as app_scopes',
      'partners.status as partner_status',
      'plans.id as plan_id',
      'plans.rate_limits as plan_rate_limits',
      'plans.quotas as plan_quotas',
      'plans.apis as plan_apis',
      'plans.scopes as plan_scopes',
    ])
    .where('api_keys.digest', 'in', [...digests])
    .limit(1);
}
