// A partner's apps, each in `test` or `live`. Every read and write is scoped to the partner: another partner's app
// (or a deleted one) is "not found", exactly like a missing one. A live app waits for the operator's approval.
import type { Kysely } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../internal/src/store/constraint-errors';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import type { Invalidation } from '../events/invalidation';
import { appendAuditEvent, type AuditContext, type AuditDetail } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { oauthClientInvalidation } from './oauth-clients';
import type { AppsTable, KeysTables } from './schema';
import { APPS_TENANT_NAME } from './unique-indexes';

export type AppStatus = 'pending_approval' | 'active' | 'rejected';

export interface App {
  id: string;
  partnerId: string;
  name: string;
  description: string | null;
  environment: Environment;
  status: AppStatus;
  statusReason: string | null;
  reviewedAt: string | null;
  scopes: string[];
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface AppInput {
  name: string;
  description?: string;
  environment: Environment;
  scopes: string[];
  metadata?: Record<string, string>;
}

export interface AppChanges {
  name?: string;
  description?: string | null;
  scopes?: string[];
  metadata?: Record<string, string>;
}

export interface AppFilter {
  environment?: Environment;
  status?: AppStatus;
}

/** The platform spec's limit: a partner has at most 50 apps (deleted ones do not count). */
export const MAX_APPS_PER_PARTNER = 50;

/**
 * Creates an app: `active` at once in test, `pending_approval` in live. Its scopes must be within the partner's
 * plan (422). The partner's row is locked first, so concurrent creations cannot pass the 50-app limit together.
 */
export async function createApp(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  input: AppInput,
  context: AuditContext,
): Promise<App> {
  const now = deps.clock.now().toISOString();
  const row: AppsTable = {
    id: deps.newId('app'),
    partner_id: scope.partnerId,
    name: input.name,
    description: input.description ?? null,
    environment: input.environment,
    status: input.environment === 'test' ? 'active' : 'pending_approval',
    status_reason: null,
    reviewed_at: null,
    scopes: toJsonText(input.scopes),
    metadata: toJsonText(input.metadata ?? {}),
    created_by: context.actor.memberId,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      const planScopes = await lockPartnerPlanScopes(trx, scope);
      refuseScopesOutsidePlan(input.scopes, planScopes);
      const { n } = await trx
        .selectFrom('apps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('partner_id', '=', scope.partnerId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_APPS_PER_PARTNER) {
        throw new ProblemError('conflict', `A partner has at most ${MAX_APPS_PER_PARTNER} apps.`);
      }
      await trx.insertInto('apps').values(row).execute();
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'app.created',
        target: { type: 'app', id: row.id },
        app: { id: row.id, environment: input.environment },
        details: { name: row.name, scopes: input.scopes, status: row.status },
      });
    });
  } catch (error) {
    throw nameTaken(error);
  }
  return toApp(row);
}

export async function findApp(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  id: string,
): Promise<App | undefined> {
  const row = await deps.db
    .selectFrom('apps')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toApp(row) : undefined;
}

export async function getApp(deps: Pick<KeysStoreDeps, 'db'>, scope: PartnerScope, id: string): Promise<App> {
  const app = await findApp(deps, scope, id);
  if (!app) throw notFound('app', id);
  return app;
}

/** The partner's apps in both environments, newest first. */
export async function listApps(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  filter: AppFilter,
  page: PageRequest,
): Promise<Page<App>> {
  let query = deps.db
    .selectFrom('apps')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('deleted_at', 'is', null);
  if (filter.environment) query = query.where('environment', '=', filter.environment);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page, toApp);
}

/** Changes the given fields; new scopes must be within the plan (422), a name taken in the environment is a 409. */
export async function updateApp(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  id: string,
  changes: AppChanges,
  context: AuditContext,
): Promise<App> {
  const values: Partial<AppsTable> = { updated_at: deps.clock.now().toISOString() };
  const details: Record<string, AuditDetail> = {};
  if (changes.name !== undefined) values.name = details.name = changes.name;
  if (changes.description !== undefined) values.description = details.description = changes.description;
  if (changes.scopes !== undefined) {
    values.scopes = toJsonText(changes.scopes);
    details.scopes = changes.scopes;
  }
  if (changes.metadata !== undefined) {
    values.metadata = toJsonText(changes.metadata);
    details.metadataKeys = Object.keys(changes.metadata);
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if (changes.scopes !== undefined) {
        refuseScopesOutsidePlan(changes.scopes, await lockPartnerPlanScopes(trx, scope));
      }
      const row = await trx
        .updateTable('apps')
        .set(values)
        .where('partner_id', '=', scope.partnerId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw notFound('app', id);
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'app.updated',
        target: { type: 'app', id },
        app: { id, environment: row.environment as Environment },
        details,
      });
      return toApp(row);
    });
  } catch (error) {
    throw nameTaken(error);
  }
}

/**
 * The operator's review of a live app awaiting approval: `approve` makes it `active`, `reject` makes it `rejected`
 * for good. One conditional UPDATE; any other app (a test app, one already reviewed) is a 409. Not tenant-scoped:
 * the operator reaches every partner.
 */
export async function reviewApp(
  deps: KeysStoreDeps,
  id: string,
  decision: { action: 'approve'; note?: string } | { action: 'reject'; reason: string },
  context: AuditContext,
): Promise<App> {
  const now = deps.clock.now().toISOString();
  const reason = decision.action === 'approve' ? (decision.note ?? null) : decision.reason;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('apps')
      .set({
        status: decision.action === 'approve' ? 'active' : 'rejected',
        status_reason: reason,
        reviewed_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where('environment', '=', 'live')
      .where('status', '=', 'pending_approval')
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      const current = await trx
        .selectFrom('apps')
        .select(['status', 'environment'])
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (!current) throw notFound('app', id);
      throw new ProblemError(
        'invalid_transition',
        `App '${id}' is a ${current.environment} app in status '${current.status}'; only a live app awaiting approval can be reviewed.`,
        { extensions: { currentStatus: current.status } },
      );
    }
    await appendAuditEvent(trx, deps, context, {
      partnerId: row.partner_id,
      action: decision.action === 'approve' ? 'app.approved' : 'app.rejected',
      target: { type: 'app', id },
      app: { id, environment: row.environment as Environment },
      details: reason === null ? {} : { reason },
    });
    return toApp(row);
  });
}

/**
 * Deletes an app and revokes all of its credentials in one transaction: its API keys and signing keys are marked
 * revoked and its OAuth clients removed. The row stays (hidden) for usage and audit history. Returns the digests
 * of the keys that stopped working and one invalidation per credential that stopped working (API keys with their
 * digest, signing keys and OAuth clients by id), for the caller to publish once this has committed.
 */
export async function deleteApp(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  id: string,
  context: AuditContext,
): Promise<{ revokedKeyDigests: string[]; invalidations: Invalidation[] }> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await trx
      .updateTable('apps')
      .set({ deleted_at: now, updated_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .returning(['environment'])
      .executeTakeFirst();
    if (!app) throw notFound('app', id);
    const keys = await trx
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['id', 'digest'])
      .execute();
    const signingKeys = await trx
      .updateTable('signing_keys')
      .set({ status: 'revoked', revoked_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', id)
      .where('status', '=', 'active')
      .returning(['id'])
      .execute();
    const clients = await trx
      .deleteFrom('oauth_clients')
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', id)
      .returning(['id'])
      .execute();
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'app.deleted',
      target: { type: 'app', id },
      app: { id, environment: app.environment as Environment },
      details: {
        revokedApiKeys: keys.length,
        revokedSigningKeys: signingKeys.length,
        deletedOAuthClients: clients.length,
      },
    });
    return {
      revokedKeyDigests: keys.map((k) => k.digest),
      invalidations: credentialInvalidations(keys, signingKeys, clients),
    };
  });
}

/**
 * One invalidation per credential of the app that a verifier may hold in its cache with the app's scopes and
 * status: its active API keys (with their digests), its OAuth clients and its active signing keys. Revoked and
 * expired credentials are left out: a cached copy of one is refused whatever its app says. Read after a change to
 * the app has committed (updateApp), so a credential verified meanwhile was read with the new values anyway.
 */
export async function appCredentialInvalidations(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  scope: PartnerScope,
  appId: string,
): Promise<Invalidation[]> {
  const now = deps.clock.now().toISOString();
  const [keys, signingKeys, clients] = await Promise.all([
    deps.db
      .selectFrom('api_keys')
      .select(['id', 'digest'])
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute(),
    deps.db
      .selectFrom('signing_keys')
      .select(['id'])
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('status', '=', 'active')
      .execute(),
    deps.db
      .selectFrom('oauth_clients')
      .select(['id'])
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .execute(),
  ]);
  return credentialInvalidations(keys, signingKeys, clients);
}

function credentialInvalidations(
  apiKeys: ReadonlyArray<{ id: string; digest: string }>,
  signingKeys: ReadonlyArray<{ id: string }>,
  oauthClients: ReadonlyArray<{ id: string }>,
): Invalidation[] {
  return [
    ...apiKeys.map((k): Invalidation => ({ type: 'credential', credentialId: k.id, digest: k.digest })),
    ...signingKeys.map((k): Invalidation => ({ type: 'credential', credentialId: k.id })),
    ...oauthClients.map((c) => oauthClientInvalidation(c.id)),
  ];
}

/**
 * Locks the partner's row for the rest of the transaction (a no-op UPDATE takes the row lock on PostgreSQL; SQLite
 * has one writer anyway) and returns its plan's scopes.
 */
async function lockPartnerPlanScopes(trx: Kysely<KeysTables>, scope: PartnerScope): Promise<string[]> {
  const locked = await trx
    .updateTable('partners')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', scope.partnerId)
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) === 0) throw notFound('partner', scope.partnerId);
  const plan = await trx
    .selectFrom('partners')
    .innerJoin('plans', 'plans.id', 'partners.plan_id')
    .select('plans.scopes')
    .where('partners.id', '=', scope.partnerId)
    .executeTakeFirstOrThrow();
  return fromJsonText<string[]>(plan.scopes, []);
}

function refuseScopesOutsidePlan(scopes: readonly string[], planScopes: readonly string[]): void {
  const outside = scopes.filter((s) => !planScopes.includes(s));
  if (outside.length > 0) {
    throw new ProblemError('unprocessable', `The partner's plan does not grant ${outside.join(', ')}.`, {
      errors: [{ pointer: '/scopes', detail: `not in the plan: ${outside.join(', ')}` }],
    });
  }
}

function nameTaken(error: unknown): unknown {
  if (!violatedUniqueIndex(error, APPS_TENANT_NAME)) return error;
  return new ProblemError('already_exists', 'An app with this name exists in this environment.', {
    errors: [{ pointer: '/name', detail: 'already used by another app in this environment' }],
    cause: error,
  });
}

export function toApp(row: AppsTable): App {
  return {
    id: row.id,
    partnerId: row.partner_id,
    name: row.name,
    description: row.description,
    environment: row.environment as Environment,
    status: row.status as AppStatus,
    statusReason: row.status_reason,
    reviewedAt: row.reviewed_at,
    scopes: fromJsonText<string[]>(row.scopes, []),
    metadata: fromJsonText<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
