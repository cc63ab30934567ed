// The control plane's schema, as ordered migrations run at start-up (a second run applies nothing). Never edit one
// that has shipped; add the next. Indexes are named after the query they serve.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../internal/src/store/migrate';
import { SEEDED_PLANS } from './seeded-plans';

export const keysMigrations: Migrations = {
  '0001_tenants': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('offered', 'integer', (c) => c.notNull())
        .addColumn('rate_limits', 'text', (c) => c.notNull())
        .addColumn('quotas', 'text', (c) => c.notNull())
        .addColumn('apis', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('partners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('website', 'text')
        .addColumn('contact_email', 'text', (c) => c.notNull())
        .addColumn('country', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The operator's filters: by status and by plan, newest first.
      await db.schema.createIndex('partners_status_id').on('partners').columns(['status', 'id']).execute();
      await db.schema.createIndex('partners_plan_id').on('partners').columns(['plan_id', 'id']).execute();

      await db.schema
        .createTable('members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_normalized', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('invitation_digest', 'text')
        .addColumn('invitation_expires_at', 'text')
        .addColumn('invited_by', 'text')
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // An address belongs to at most one member of the installation (platform spec, signUp and inviteMember):
      // the database refuses a second one whatever the code does, and sign-in finds the member by it.
      await db.schema
        .createIndex('members_email')
        .on('members')
        .column('email_normalized')
        .unique()
        .execute();
      await db.schema
        .createIndex('members_invitation')
        .on('members')
        .column('invitation_digest')
        .unique()
        .execute();
      await db.schema.createIndex('members_tenant_id').on('members').columns(['partner_id', 'id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        // Removing a member ends its sessions in the same statement.
        .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
        .addColumn('token_digest', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('last_used_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_token').on('sessions').column('token_digest').unique().execute();
      await db.schema.createIndex('sessions_member').on('sessions').column('member_id').execute();

      await db.schema
        .createTable('personal_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('pepper_id', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('last4', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('personal_tokens_digest')
        .on('personal_tokens')
        .column('digest')
        .unique()
        .execute();
      await db.schema
        .createIndex('personal_tokens_tenant_member_id')
        .on('personal_tokens')
        .columns(['partner_id', 'member_id', 'id'])
        .execute();
      await db.schema
        .createIndex('personal_tokens_member')
        .on('personal_tokens')
        .column('member_id')
        .execute();
    },
  },
  '0002_apps_and_credentials': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('deleted_at', 'text')
        // The target of the credentials' composite foreign keys below.
        .addUniqueConstraint('apps_id_tenant', ['id', 'partner_id', 'environment'])
        .execute();
      await db.schema.createIndex('apps_tenant_id').on('apps').columns(['partner_id', 'id']).execute();
      // Names are unique per partner and environment among the apps that still exist (a deleted app frees its
      // name); a partial index, which both engines support.
      await db.schema
        .createIndex('apps_tenant_name')
        .on('apps')
        .columns(['partner_id', 'environment', 'name'])
        .unique()
        .where(sql.ref('deleted_at'), 'is', null)
        .execute();
      // The operator's review queue (status = pending_approval), newest first.
      await db.schema.createIndex('apps_status_id').on('apps').columns(['status', 'id']).execute();

      // Credentials reference their app by (id, partner_id, environment): the database itself refuses a key whose
      // partner or environment differs from its app's, so a tenant or world mix-up cannot be stored.
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('pepper_id', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('last4', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('rolled_from_id', 'text', (c) => c.references('api_keys.id'))
        .addColumn('replaced_by_id', 'text', (c) => c.references('api_keys.id'))
        .addColumn('last_used_at', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addForeignKeyConstraint('api_keys_app', ['app_id', 'partner_id', 'environment'], 'apps', [
          'id',
          'partner_id',
          'environment',
        ])
        .execute();
      // The gateway's uncached verification: one lookup by digest (DESIGN.md, Keys).
      await db.schema.createIndex('api_keys_digest').on('api_keys').column('digest').unique().execute();
      await db.schema
        .createIndex('api_keys_tenant_app_id')
        .on('api_keys')
        .columns(['partner_id', 'app_id', 'id'])
        .execute();
      await db.schema
        .createIndex('api_keys_app_tenant')
        .on('api_keys')
        .columns(['app_id', 'partner_id', 'environment'])
        .execute();

      await db.schema
        .createTable('oauth_clients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('access_token_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('secret_digest', 'text', (c) => c.notNull())
        .addColumn('secret_pepper_id', 'text', (c) => c.notNull())
        .addColumn('secret_last4', 'text', (c) => c.notNull())
        .addColumn('secret_rotated_at', 'text')
        .addColumn('previous_secret_digest', 'text')
        .addColumn('previous_secret_pepper_id', 'text')
        .addColumn('previous_secret_expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addForeignKeyConstraint('oauth_clients_app', ['app_id', 'partner_id', 'environment'], 'apps', [
          'id',
          'partner_id',
          'environment',
        ])
        .execute();
      await db.schema
        .createIndex('oauth_clients_tenant_app_id')
        .on('oauth_clients')
        .columns(['partner_id', 'app_id', 'id'])
        .execute();
      await db.schema
        .createIndex('oauth_clients_app_tenant')
        .on('oauth_clients')
        .columns(['app_id', 'partner_id', 'environment'])
        .execute();

      await db.schema
        .createTable('signing_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('secret_ciphertext', 'text')
        .addColumn('encryption_key_id', 'text')
        .addColumn('secret_last4', 'text')
        .addColumn('public_key_jwk', 'text')
        .addColumn('thumbprint', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addForeignKeyConstraint('signing_keys_app', ['app_id', 'partner_id', 'environment'], 'apps', [
          'id',
          'partner_id',
          'environment',
        ])
        .execute();
      await db.schema
        .createIndex('signing_keys_tenant_app_id')
        .on('signing_keys')
        .columns(['partner_id', 'app_id', 'id'])
        .execute();
      await db.schema
        .createIndex('signing_keys_app_tenant')
        .on('signing_keys')
        .columns(['app_id', 'partner_id', 'environment'])
        .execute();
      // A public key is registered at most once per app (createSigningKey: 422); NULL thumbprints (HMAC) never
      // collide on either engine.
      await db.schema
        .createIndex('signing_keys_app_thumbprint')
        .on('signing_keys')
        .columns(['app_id', 'thumbprint'])
        .unique()
        .execute();

      await db.schema
        .createTable('issuer_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('private_key_ciphertext', 'text', (c) => c.notNull())
        .addColumn('encryption_key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .addColumn('publish_until', 'text')
        .execute();
      // At most one key signs new tokens, even if two processes rotate at once.
      await db.schema
        .createIndex('issuer_keys_one_current')
        .on('issuer_keys')
        .column('status')
        .unique()
        .where(sql.ref('status'), '=', sql.lit('current'))
        .execute();
    },
  },
  '0003_usage_and_audit': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('usage_daily')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('api', 'text', (c) => c.notNull())
        .addColumn('operation_id', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addColumn('latency_ms_total', 'bigint', (c) => c.notNull())
        // The conflict target of the batch upsert; also serves the app's usage report (app, then day range).
        .addPrimaryKeyConstraint('usage_daily_key', ['app_id', 'day', 'api', 'operation_id', 'status'])
        .execute();
      await db.schema
        .createIndex('usage_daily_tenant_day')
        .on('usage_daily')
        .columns(['partner_id', 'day'])
        .execute();

      await db.schema
        .createTable('usage_batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_member_id', 'text')
        .addColumn('actor_email', 'text')
        .addColumn('actor_personal_token_id', 'text')
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text')
        .addColumn('environment', 'text')
        .addColumn('request_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_events_tenant_id')
        .on('audit_events')
        .columns(['partner_id', 'id'])
        .execute();
      await db.schema
        .createIndex('audit_events_tenant_target_id')
        .on('audit_events')
        .columns(['partner_id', 'target_id', 'id'])
        .execute();
      await db.schema
        .createIndex('audit_events_tenant_actor_id')
        .on('audit_events')
        .columns(['partner_id', 'actor_member_id', 'id'])
        .execute();
      await refuseAuditChanges(db);
    },
  },
  '0004_seed_plans': {
    async up(db: Kysely<unknown>) {
      await (db as Kysely<{ plans: Record<string, string | number> }>)
        .insertInto('plans')
        .values(SEEDED_PLANS.map((p) => ({ ...p })))
        .execute();
    },
  },
  '0005_usage_hourly_and_request_log': {
    async up(db: Kysely<unknown>) {
      // Per-bucket counts (not cumulative) so that the batch upsert can add them like `count`. The bounds are
      // written out here, not imported, because a shipped migration must not change with the code.
      let hourly = db.schema
        .createTable('usage_hourly')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('api', 'text', (c) => c.notNull())
        .addColumn('operation_id', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addColumn('latency_ms_total', 'bigint', (c) => c.notNull());
      for (const bucket of MIGRATION_0005_BUCKETS) {
        hourly = hourly.addColumn(`latency_le_${bucket}`, 'bigint', (c) => c.notNull().defaultTo(0));
      }
      await hourly
        // The conflict target of the batch upsert; also serves an app's report (app, then hour range).
        .addPrimaryKeyConstraint('usage_hourly_key', [
          'app_id',
          'hour',
          'credential_id',
          'api',
          'operation_id',
          'status',
        ])
        .execute();
      await db.schema
        .createIndex('usage_hourly_tenant_hour')
        .on('usage_hourly')
        .columns(['partner_id', 'hour'])
        .execute();

      // The daily counts move over as the first hour of their day, with no credential, and with their whole count
      // in the bucket of their average (the only latency fact they kept): total ≤ bound × count ⇔ average ≤ bound.
      const bounds = MIGRATION_0005_BUCKETS.slice(0, -1) as readonly number[];
      const bucketOfAverage = MIGRATION_0005_BUCKETS.map((bucket, i) => {
        const lower = i === 0 ? sql`` : sql`latency_ms_total > ${sql.lit(bounds[i - 1]!)} * count and `;
        const upper = bucket === 'inf' ? sql`1 = 1` : sql`latency_ms_total <= ${sql.lit(bucket)} * count`;
        return sql`case when ${lower}${upper} then count else 0 end`;
      });
      await sql`
        insert into usage_hourly (partner_id, app_id, environment, hour, credential_id, api, operation_id, status,
          count, latency_ms_total, ${sql.join(MIGRATION_0005_BUCKETS.map((b) => sql.id(`latency_le_${b}`)))})
        select partner_id, app_id, environment, day || 'T00:00:00.000Z', '', api, operation_id, status,
          count, latency_ms_total, ${sql.join(bucketOfAverage)}
        from usage_daily`.execute(db);
      // Dropped, so that no report can ever add both tables up.
      await db.schema.dropTable('usage_daily').execute();

      await db.schema
        .createTable('request_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('api', 'text', (c) => c.notNull())
        .addColumn('operation_id', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .execute();
      // listRequests: the partner's log newest first, and one app's.
      await db.schema
        .createIndex('request_log_tenant_id')
        .on('request_log')
        .columns(['partner_id', 'id'])
        .execute();
      await db.schema
        .createIndex('request_log_tenant_app_id')
        .on('request_log')
        .columns(['partner_id', 'app_id', 'id'])
        .execute();
      // Retention: the write path deletes the oldest rows in bounded chunks.
      await db.schema.createIndex('request_log_started').on('request_log').column('started_at').execute();
      // Batch ids are kept as long as the log (recordUsage prunes both); the index keeps that pruning cheap.
      await db.schema.createIndex('usage_batches_applied').on('usage_batches').column('applied_at').execute();
    },
  },
};

/** The latency histogram's upper bounds in ms, as of migration 0005 (keys/src/store/usage.ts names them too). */
const MIGRATION_0005_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 'inf'] as const;

/**
 * Audit events "cannot be changed or deleted" (platform spec, listAuditEvents): triggers make the database refuse
 * UPDATE and DELETE on the table, so not even a bug in the application can rewrite history.
 */
async function refuseAuditChanges(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_events is append-only';
      end
      $$`.execute(db);
    await sql`
      create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_events_append_only()`.execute(db);
    return;
  }
  for (const operation of ['update', 'delete']) {
    await sql`
      create trigger ${sql.id(`audit_events_no_${operation}`)} before ${sql.raw(operation)} on audit_events
      begin
        select raise(abort, 'audit_events is append-only');
      end`.execute(db);
  }
}
