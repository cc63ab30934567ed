// An app's OAuth clients (RFC 6749 §4.4 client credentials). The secret is stored only as a keyed digest (the
// domain makes the secret and its digest; this module never sees a secret), with at most one previous digest
// valid until the end of a rotation's overlap. Every change appends its audit event in the same transaction and
// returns the invalidation that drops the client from verification caches. Also the one-query read of a client
// with its app, partner and plan that /oauth/token and the token verifier decide on.
import { lockActiveApp, requireApp } from './api-keys';
import { touchLastUsed } from './last-used';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import type { Invalidation } from '../events/invalidation';
import type { OAuthClientRecord } from '../oauth/client-authentication';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { OAuthClientsTable } from './schema';

export interface OAuthClient {
  id: string;
  appId: string;
  name: string;
  environment: Environment;
  scopes: string[];
  accessTokenTtlSeconds: number;
  secretLast4: string;
  secretRotatedAt: string | null;
  /** Until when the previous secret still works; null when it no longer does (as of the time of the read). */
  previousSecretExpiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** What the domain derived from a fresh client secret: its keyed digest, its environment and its last four. */
export interface StoredClientSecret {
  digest: string;
  pepperId: string;
  /** The environment in the secret's text (`pto_test_…`); must be the app's. */
  environment: Environment;
  last4: string;
}

export interface OAuthClientInput {
  name: string;
  secret: StoredClientSecret;
  /** A subset of the app's scopes (422 otherwise); the app's scopes if absent. */
  scopes?: string[];
  accessTokenTtlSeconds?: number;
}

export interface OAuthClientRotation {
  secret: StoredClientSecret;
  /** 0 (the previous secret ends now) to 604800 (7 days). */
  overlapSeconds: number;
}

/** The platform spec's limits: at most 5 clients per app; token lifetimes of 60 s to 1 h, 1 h by default. */
export const MAX_OAUTH_CLIENTS_PER_APP = 5;
export const MIN_ACCESS_TOKEN_TTL_SECONDS = 60;
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600;

/** The event that drops a client from every verification cache (keyed by client id). */
export function oauthClientInvalidation(clientId: string): Invalidation {
  return { type: 'credential', credentialId: clientId };
}

/**
 * Creates a client for an active app of the partner. The app's row is locked first, so the 5-client limit holds
 * under concurrency. Missing app: 404; app not active: 409; too many clients: 409; scopes outside the app's or a
 * lifetime out of range: 422.
 */
export async function createOAuthClient(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  input: OAuthClientInput,
  context: AuditContext,
): Promise<OAuthClient> {
  const now = deps.clock.now().toISOString();
  const ttl = input.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < MIN_ACCESS_TOKEN_TTL_SECONDS || ttl > MAX_ACCESS_TOKEN_TTL_SECONDS) {
    throw new ProblemError('unprocessable', 'The access token lifetime is out of range.', {
      errors: [
        {
          pointer: '/accessTokenTtlSeconds',
          detail: `between ${MIN_ACCESS_TOKEN_TTL_SECONDS} and ${MAX_ACCESS_TOKEN_TTL_SECONDS} seconds`,
        },
      ],
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const app = await lockActiveApp(trx, scope, appId);
    refuseForeignSecret(input.secret, app.environment);
    const appScopes = fromJsonText<string[]>(app.scopes, []);
    const scopes = input.scopes ?? appScopes;
    const outside = scopes.filter((s) => !appScopes.includes(s));
    if (outside.length > 0) {
      throw new ProblemError('unprocessable', `The app does not hold ${outside.join(', ')}.`, {
        errors: [{ pointer: '/scopes', detail: `not among the app's scopes: ${outside.join(', ')}` }],
      });
    }
    const { n } = await trx
      .selectFrom('oauth_clients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_OAUTH_CLIENTS_PER_APP) {
      throw new ProblemError('conflict', `An app holds at most ${MAX_OAUTH_CLIENTS_PER_APP} OAuth clients.`);
    }
    const row: OAuthClientsTable = {
      id: deps.newId('oac'),
      partner_id: scope.partnerId,
      app_id: appId,
      environment: app.environment,
      name: input.name,
      scopes: toJsonText(scopes),
      access_token_ttl_seconds: ttl,
      secret_digest: input.secret.digest,
      secret_pepper_id: input.secret.pepperId,
      secret_last4: input.secret.last4,
      secret_rotated_at: null,
      previous_secret_digest: null,
      previous_secret_pepper_id: null,
      previous_secret_expires_at: null,
      last_used_at: null,
      created_by: context.actor.memberId,
      created_at: now,
    };
    await trx.insertInto('oauth_clients').values(row).execute();
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'oauth_client.created',
      target: { type: 'oauth_client', id: row.id },
      app: { id: appId, environment: app.environment as Environment },
      details: { name: row.name, scopes, accessTokenTtlSeconds: ttl, secretLast4: row.secret_last4 },
    });
    return toOAuthClient(row, now);
  });
}

export async function findOAuthClient(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<OAuthClient | undefined> {
  const row = await deps.db
    .selectFrom('oauth_clients')
    .innerJoin('apps', 'apps.id', 'oauth_clients.app_id')
    .selectAll('oauth_clients')
    .where('oauth_clients.partner_id', '=', scope.partnerId)
    .where('oauth_clients.app_id', '=', appId)
    .where('oauth_clients.id', '=', id)
    .where('apps.deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toOAuthClient(row, deps.clock.now().toISOString()) : undefined;
}

export async function getOAuthClient(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<OAuthClient> {
  const client = await findOAuthClient(deps, scope, appId, id);
  if (!client) throw notFound('OAuth client', id);
  return client;
}

/** The app's clients, newest first. A missing (or another partner's, or deleted) app is a 404. */
export async function listOAuthClients(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
  page: PageRequest,
): Promise<Page<OAuthClient>> {
  await requireApp(deps.db, scope, appId);
  const now = deps.clock.now().toISOString();
  const query = deps.db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', '=', appId);
  return fetchPage(query, page, (row) => toOAuthClient(row, now));
}

/**
 * Replaces the client's secret; the one it replaces stays valid for `overlapSeconds` (none when 0). One UPDATE whose
 * right-hand sides read the row's values before the update (on both engines), so two concurrent rotations each
 * move the then-current digest to `previous`: at most two secrets are valid at any time, as the spec promises.
 */
export async function rotateOAuthClientSecret(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  id: string,
  input: OAuthClientRotation,
  context: AuditContext,
): Promise<{ oauthClient: OAuthClient; invalidation: Invalidation }> {
  if (
    !Number.isInteger(input.overlapSeconds) ||
    input.overlapSeconds < 0 ||
    input.overlapSeconds > MAX_SECRET_OVERLAP_SECONDS
  ) {
    throw new ProblemError('unprocessable', 'The overlap is out of range.', {
      errors: [{ pointer: '/overlapSeconds', detail: `between 0 and ${MAX_SECRET_OVERLAP_SECONDS} seconds` }],
    });
  }
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const keepPrevious = input.overlapSeconds > 0;
  const previousExpiresAt = new Date(nowDate.getTime() + input.overlapSeconds * 1000).toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await requireApp(trx, scope, appId);
    refuseForeignSecret(input.secret, app.environment);
    const row = await trx
      .updateTable('oauth_clients')
      .set((eb) => ({
        secret_digest: input.secret.digest,
        secret_pepper_id: input.secret.pepperId,
        secret_last4: input.secret.last4,
        secret_rotated_at: now,
        previous_secret_digest: keepPrevious ? eb.ref('secret_digest') : null,
        previous_secret_pepper_id: keepPrevious ? eb.ref('secret_pepper_id') : null,
        previous_secret_expires_at: keepPrevious ? previousExpiresAt : null,
      }))
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('OAuth client', id);
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'oauth_client.secret_rotated',
      target: { type: 'oauth_client', id },
      app: { id: appId, environment: app.environment },
      details: {
        overlapSeconds: input.overlapSeconds,
        previousSecretExpiresAt: keepPrevious ? previousExpiresAt : null,
        secretLast4: row.secret_last4,
      },
    });
    return { oauthClient: toOAuthClient(row, now), invalidation: oauthClientInvalidation(id) };
  });
}

/**
 * Deletes a client: its secrets stop working at once, and so do the tokens already issued to it, once the
 * returned invalidation has reached the verifiers (they check the client behind every token). The schema keeps no
 * tombstone, so the row goes; its history stays in the audit trail. Missing (or another partner's): 404.
 */
export async function deleteOAuthClient(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  id: string,
  context: AuditContext,
): Promise<{ invalidation: Invalidation }> {
  return deps.db.transaction().execute(async (trx) => {
    const app = await requireApp(trx, scope, appId);
    const deleted = await trx
      .deleteFrom('oauth_clients')
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .returning(['name', 'secret_last4'])
      .executeTakeFirst();
    if (!deleted) throw notFound('OAuth client', id);
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'oauth_client.deleted',
      target: { type: 'oauth_client', id },
      app: { id: appId, environment: app.environment },
      details: { name: deleted.name, secretLast4: deleted.secret_last4 },
    });
    return { invalidation: oauthClientInvalidation(id) };
  });
}

/** Records that tokens were issued to these clients, off the hot path and in batches (as touchApiKeys). */
export async function touchOAuthClients(
  deps: Pick<KeysStoreDeps, 'db'>,
  clientIds: readonly string[],
  usedAt: string,
): Promise<number> {
  return touchLastUsed(deps, 'oauth_clients', clientIds, usedAt);
}

/**
 * A client with its app, partner and plan, in ONE query by primary key (then primary keys to the app, partner and
 * plan), for /oauth/token and the token verifier. Undefined when no such client. Deleted apps are returned too
 * (`app.deleted`) so the log can tell why; the domain refuses them.
 */
export async function findOAuthClientRecord(
  deps: Pick<KeysStoreDeps, 'db'>,
  clientId: string,
): Promise<OAuthClientRecord | undefined> {
  const row = await oauthClientRecordQuery(deps, clientId).executeTakeFirst();
  if (!row) return undefined;
  return {
    clientId: row.id,
    partnerId: row.partner_id,
    appId: row.app_id,
    environment: row.environment as Environment,
    scopes: fromJsonText<string[]>(row.scopes, []),
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    secret: { digest: row.secret_digest, pepperId: row.secret_pepper_id },
    previousSecret:
      row.previous_secret_digest !== null &&
      row.previous_secret_pepper_id !== null &&
      row.previous_secret_expires_at !== null
        ? {
            digest: row.previous_secret_digest,
            pepperId: row.previous_secret_pepper_id,
            expiresAt: row.previous_secret_expires_at,
          }
        : null,
    app: {
      status: row.app_status,
      deleted: row.app_deleted_at !== null,
      scopes: fromJsonText<string[]>(row.app_scopes, []),
    },
    partner: { status: row.partner_status },
    plan: { id: row.plan_id, scopes: fromJsonText<string[]>(row.plan_scopes, []) },
  };
}

/** The query itself, exported so that a test (and a benchmark) can print its plan. */
export function oauthClientRecordQuery(deps: Pick<KeysStoreDeps, 'db'>, clientId: string) {
  return deps.db
    .selectFrom('oauth_clients')
    .innerJoin('apps', 'apps.id', 'oauth_clients.app_id')
    .innerJoin('partners', 'partners.id', 'oauth_clients.partner_id')
    .innerJoin('plans', 'plans.id', 'partners.plan_id')
    .select([
      'oauth_clients.id',
      'oauth_clients.partner_id',
      'oauth_clients.app_id',
      'oauth_clients.environment',
      'oauth_clients.scopes',
      'oauth_clients.access_token_ttl_seconds',
      'oauth_clients.secret_digest',
      'oauth_clients.secret_pepper_id',
      'oauth_clients.previous_secret_digest',
      'oauth_clients.previous_secret_pepper_id',
      'oauth_clients.previous_secret_expires_at',
      'apps.status as app_status',
      'apps.deleted_at as app_deleted_at',
      'apps.scopes as app_scopes',
      'partners.status as partner_status',
      'plans.id as plan_id',
      'plans.scopes as plan_scopes',
    ])
    .where('oauth_clients.id', '=', clientId);
}

/** A secret made for the other environment would never authenticate: a programming error, so it throws. */
function refuseForeignSecret(secret: StoredClientSecret, environment: string): void {
  if (secret.environment !== environment) {
    throw new Error(`a ${secret.environment} client secret for a ${environment} app`);
  }
}

/** The management view of a client, as of `now`; the digests stay in the store. */
export function toOAuthClient(row: OAuthClientsTable, now: string): OAuthClient {
  // Text comparison is time comparison: every stored timestamp has the same fixed-width UTC form.
  const previousLive = row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now;
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    environment: row.environment as Environment,
    scopes: fromJsonText<string[]>(row.scopes, []),
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    secretLast4: row.secret_last4,
    secretRotatedAt: row.secret_rotated_at,
    previousSecretExpiresAt: previousLive ? row.previous_secret_expires_at : null,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}
