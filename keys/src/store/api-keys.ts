// An app's API keys, stored only as keyed digests (the domain makes the key and its digest; this module never
// sees a full key). Every change (create, roll, revoke) appends its audit event in the same transaction, and
// returns the digests whose cached verifications must be dropped.
import { touchLastUsed } from './last-used';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { ApiKeysTable, KeysTables } from './schema';

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export interface ApiKey {
  id: string;
  appId: string;
  name: string;
  environment: Environment;
  prefix: string;
  last4: string;
  scopes: string[];
  status: ApiKeyStatus;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rolledFromId: string | null;
  replacedById: string | null;
  createdAt: string;
}

/** What the domain derived from a fresh key: its keyed digest and the parts the UI may show. */
export interface StoredKeySecret {
  digest: string;
  pepperId: string;
  prefix: string;
  last4: string;
}

export interface ApiKeyInput {
  name: string;
  secret: StoredKeySecret;
  /** A subset of the app's scopes (422 otherwise); the app's scopes if absent. */
  scopes?: string[];
  /** In the future (the caller checks), or null for a key that does not expire. */
  expiresAt?: string | null;
}

export interface ApiKeyRoll {
  secret: StoredKeySecret;
  /** 0 (the old key ends now) to 604800 (7 days). */
  overlapSeconds: number;
  expiresAt?: string | null;
}

/** The platform spec's limit: an app holds at most 20 active keys. */
export const MAX_ACTIVE_KEYS_PER_APP = 20;

type Db = Kysely<KeysTables>;

/**
 * Creates a key for an active app of the partner. The app's row is locked first, so the 20-key limit holds under
 * concurrency and the app cannot be deleted or change status halfway. Missing app: 404; app not active: 409;
 * scopes outside the app's: 422.
 */
export async function createApiKey(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  input: ApiKeyInput,
  context: AuditContext,
): Promise<ApiKey> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await lockActiveApp(trx, scope, appId);
    const appScopes = fromJsonText<string[]>(app.scopes, []);
    const scopes = input.scopes ?? appScopes;
    const outside = scopes.filter((s) => !appScopes.includes(s));
    if (outside.length > 0) {
      throw new ProblemError('unprocessable', `The app does not hold ${outside.join(', ')}.`, {
        errors: [{ pointer: '/scopes', detail: `not among the app's scopes: ${outside.join(', ')}` }],
      });
    }
    if ((await countActiveKeys(trx, scope, appId, now)) >= MAX_ACTIVE_KEYS_PER_APP) {
      throw new ProblemError('conflict', `An app holds at most ${MAX_ACTIVE_KEYS_PER_APP} active keys.`);
    }
    const row = newKeyRow(deps, app, {
      name: input.name,
      secret: input.secret,
      scopes,
      expiresAt: input.expiresAt ?? null,
      rolledFromId: null,
      createdBy: context.actor.memberId,
      now,
    });
    await trx.insertInto('api_keys').values(row).execute();
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'api_key.created',
      target: { type: 'api_key', id: row.id },
      app: { id: appId, environment: app.environment as Environment },
      details: { name: row.name, prefix: row.prefix, last4: row.last4, scopes, expiresAt: row.expires_at },
    });
    return toApiKey(row, now);
  });
}

export async function findApiKey(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<ApiKey | undefined> {
  const row = await deps.db
    .selectFrom('api_keys')
    .innerJoin('apps', 'apps.id', 'api_keys.app_id')
    .selectAll('api_keys')
    .where('api_keys.partner_id', '=', scope.partnerId)
    .where('api_keys.app_id', '=', appId)
    .where('api_keys.id', '=', id)
    .where('apps.deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toApiKey(row, deps.clock.now().toISOString()) : undefined;
}

export async function getApiKey(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<ApiKey> {
  const key = await findApiKey(deps, scope, appId, id);
  if (!key) throw notFound('API key', id);
  return key;
}

/** The app's keys, newest first, optionally only those in one status (as of now). A missing app is a 404. */
export async function listApiKeys(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  filter: { status?: ApiKeyStatus },
  page: PageRequest,
): Promise<Page<ApiKey>> {
  await requireApp(deps.db, scope, appId);
  const now = deps.clock.now().toISOString();
  let query = deps.db
    .selectFrom('api_keys')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', '=', appId);
  if (filter.status === 'active') query = query.where(isActive(now));
  if (filter.status === 'revoked') query = query.where('revoked_at', 'is not', null);
  if (filter.status === 'expired') {
    query = query.where('revoked_at', 'is', null).where('expires_at', '<=', now);
  }
  return fetchPage(query, page, (row) => toApiKey(row, now));
}

/**
 * Revokes an active key with one conditional UPDATE. `changed` is false when the key was already revoked or had
 * expired (the caller answers 409); a missing key (or app, or another partner's) is a 404. The audit event is
 * written only when something changed.
 */
export async function revokeApiKey(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  id: string,
  context: AuditContext,
): Promise<{ changed: boolean; apiKey: ApiKey; digest: string }> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await requireApp(trx, scope, appId);
    const revoked = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .where(isActive(now))
      .returningAll()
      .executeTakeFirst();
    if (revoked) {
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'api_key.revoked',
        target: { type: 'api_key', id },
        app: { id: appId, environment: app.environment },
        details: { prefix: revoked.prefix, last4: revoked.last4 },
      });
      return { changed: true, apiKey: toApiKey(revoked, now), digest: revoked.digest };
    }
    const current = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw notFound('API key', id);
    return { changed: false, apiKey: toApiKey(current, now), digest: current.digest };
  });
}

/**
 * Rolls an active key that has not been rolled yet: a new key with the same name and scopes, and the old one set
 * to expire after the overlap (an earlier expiry it already had is kept). One transaction: the new key is inserted,
 * then the old one is claimed with a conditional UPDATE (so two concurrent rolls cannot both succeed — the loser's
 * insert is rolled back). A key that cannot be rolled is a 409, a missing one a 404.
 */
export async function rollApiKey(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  id: string,
  input: ApiKeyRoll,
  context: AuditContext,
): Promise<{ apiKey: ApiKey; previousApiKey: ApiKey; previousDigest: string }> {
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const overlapEnd = new Date(nowDate.getTime() + input.overlapSeconds * 1000).toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await lockActiveApp(trx, scope, appId);
    const old = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!old) throw notFound('API key', id);
    const row = newKeyRow(deps, app, {
      name: old.name,
      secret: input.secret,
      scopes: fromJsonText<string[]>(old.scopes, []),
      expiresAt: input.expiresAt ?? null,
      rolledFromId: old.id,
      createdBy: context.actor.memberId,
      now,
    });
    await trx.insertInto('api_keys').values(row).execute();
    const previous = await trx
      .updateTable('api_keys')
      .set({
        replaced_by_id: row.id,
        // Text comparison is time comparison: every stored timestamp has the same fixed-width UTC form.
        expires_at: sql<string>`case when expires_at is not null and expires_at < ${overlapEnd} then expires_at else ${overlapEnd} end`,
      })
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', id)
      .where('replaced_by_id', 'is', null)
      .where(isActive(now))
      .returningAll()
      .executeTakeFirst();
    if (!previous) {
      const why =
        old.replaced_by_id !== null ? `was already rolled to '${old.replaced_by_id}'` : 'is not active';
      throw new ProblemError('conflict', `API key '${id}' ${why}; only an active key can be rolled, once.`, {
        extensions: { currentStatus: keyStatus(old, now) },
      });
    }
    // During the overlap the old key stays active beside the new one: a chain of rolls must not outgrow the limit.
    if ((await countActiveKeys(trx, scope, appId, now)) > MAX_ACTIVE_KEYS_PER_APP) {
      throw new ProblemError(
        'conflict',
        `An app holds at most ${MAX_ACTIVE_KEYS_PER_APP} active keys, and the key being rolled stays active until ` +
          'its overlap ends: revoke a key first, or roll with overlapSeconds 0.',
      );
    }
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'api_key.rolled',
      target: { type: 'api_key', id },
      app: { id: appId, environment: app.environment as Environment },
      details: {
        replacedById: row.id,
        overlapSeconds: input.overlapSeconds,
        previousExpiresAt: previous.expires_at,
        prefix: row.prefix,
        last4: row.last4,
      },
    });
    return {
      apiKey: toApiKey(row, now),
      previousApiKey: toApiKey(previous, now),
      previousDigest: old.digest,
    };
  });
}

async function countActiveKeys(trx: Db, scope: PartnerScope, appId: string, now: string): Promise<number> {
  const { n } = await trx
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', '=', appId)
    .where(isActive(now))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Records that the gateway accepted these keys, off the hot path: the meter collects key ids and flushes them in
 * batches, one UPDATE per batch (chunked only to stay under the engines' bound-parameter limits). A time never
 * moves backwards, so a late batch cannot overwrite a newer one.
 */
export async function touchApiKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  keyIds: readonly string[],
  usedAt: string,
): Promise<number> {
  return touchLastUsed(deps, 'api_keys', keyIds, usedAt);
}

/** Neither revoked nor past its expiry at `now`. */
function isActive(now: string): Expression<SqlBool> {
  return sql<SqlBool>`(revoked_at is null and (expires_at is null or expires_at > ${now}))`;
}

/** The app's row, for this partner and not deleted; 404 otherwise. */
export async function requireApp(
  db: Db,
  scope: PartnerScope,
  appId: string,
): Promise<{ environment: Environment; status: string }> {
  const app = await db
    .selectFrom('apps')
    .select(['environment', 'status'])
    .where('partner_id', '=', scope.partnerId)
    .where('id', '=', appId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!app) throw notFound('app', appId);
  return { environment: app.environment as Environment, status: app.status };
}

/**
 * Locks the partner's app for the rest of the transaction (a no-op UPDATE takes the row lock on PostgreSQL; SQLite
 * has one writer anyway) and returns it: 404 when missing or deleted, 409 unless it is `active`.
 */
export async function lockActiveApp(
  db: Db,
  scope: PartnerScope,
  appId: string,
): Promise<{ id: string; partner_id: string; environment: string; scopes: string }> {
  const app = await db
    .updateTable('apps')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('partner_id', '=', scope.partnerId)
    .where('id', '=', appId)
    .where('deleted_at', 'is', null)
    .returning(['id', 'partner_id', 'environment', 'scopes', 'status'])
    .executeTakeFirst();
  if (!app) throw notFound('app', appId);
  if (app.status !== 'active') {
    throw new ProblemError(
      'conflict',
      `App '${appId}' is '${app.status}'; only an active app holds credentials.`,
      {
        extensions: { currentStatus: app.status },
      },
    );
  }
  return app;
}

function newKeyRow(
  deps: Pick<KeysStoreDeps, 'newId'>,
  app: { id: string; partner_id: string; environment: string },
  key: {
    name: string;
    secret: StoredKeySecret;
    scopes: string[];
    expiresAt: string | null;
    rolledFromId: string | null;
    createdBy: string | null;
    now: string;
  },
): ApiKeysTable {
  return {
    id: deps.newId('key'),
    partner_id: app.partner_id,
    app_id: app.id,
    environment: app.environment,
    name: key.name,
    digest: key.secret.digest,
    pepper_id: key.secret.pepperId,
    prefix: key.secret.prefix,
    last4: key.secret.last4,
    scopes: toJsonText(key.scopes),
    expires_at: key.expiresAt,
    revoked_at: null,
    rolled_from_id: key.rolledFromId,
    replaced_by_id: null,
    last_used_at: null,
    created_by: key.createdBy,
    created_at: key.now,
  };
}

function keyStatus(row: Pick<ApiKeysTable, 'revoked_at' | 'expires_at'>, now: string): ApiKeyStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

/** The management view of a key, with its status as of `now`; the digest stays in the store. */
export function toApiKey(row: ApiKeysTable, now: string): ApiKey {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    environment: row.environment as Environment,
    prefix: row.prefix,
    last4: row.last4,
    scopes: fromJsonText<string[]>(row.scopes, []),
    status: keyStatus(row, now),
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    rolledFromId: row.rolled_from_id,
    replacedById: row.replaced_by_id,
    createdAt: row.created_at,
  };
}
