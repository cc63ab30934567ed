// The control-plane schema migrates on both engines, a second run is a no-op, the plans are seeded once, the
// database itself keeps audit events append-only, and daily usage moves to the hourly table once.
import { sql, type Kysely } from 'kysely';
import { createIdGenerator } from '../../../internal/src/ids';
import type { Database } from '../../../internal/src/store/database';
import { migrateToLatest } from '../../../internal/src/store/migrate';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { appendAuditEvent } from './audit-events';
import { keysMigrations } from './migrations';
import type { KeysTables } from './schema';
import { ENTERPRISE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { memberContext, openKeysStore, signUp } from './test-fixtures';
import { usageReport } from './usage-reports';

describeEachStore('keys migrations', (store) => {
  test('running the migrations again applies nothing and seeds no second set of plans', async () => {
    const database = await store.open<KeysTables>('twice', keysMigrations);
    expect(await migrateToLatest(database as Database<unknown>, keysMigrations)).toEqual([]);
    expect(await migrateToLatest(database as Database<unknown>, keysMigrations)).toEqual([]);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      database.db,
    );
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(keysMigrations));
    const plans = await database.db.selectFrom('plans').select(['id', 'code']).orderBy('id').execute();
    expect(plans).toEqual([
      { id: FREE_PLAN_ID, code: 'free' },
      { id: PRO_PLAN_ID, code: 'pro' },
      { id: ENTERPRISE_PLAN_ID, code: 'enterprise' },
    ]);
  });

  test('the database refuses to change or delete an audit event', async () => {
    // Matched by message, not with toThrow: better-sqlite3's native addon keeps the error class of the first test
    // file that loaded it, so in a later file (another Jest realm) its errors are not `instanceof Error`.
    const appendOnly = { message: expect.stringMatching(/append-only/) };
    const deps = await openKeysStore(store, 'append_only');
    const { partner, owner } = await signUp(deps);
    const event = await appendAuditEvent(deps.db, deps, memberContext(owner), {
      partnerId: partner.id,
      action: 'partner.updated',
      target: { type: 'partner', id: partner.id },
    });
    await expect(
      deps.db
        .updateTable('audit_events')
        .set({ action: 'partner.created' })
        .where('id', '=', event.id)
        .execute(),
    ).rejects.toMatchObject(appendOnly);
    await expect(
      deps.db.deleteFrom('audit_events').where('id', '=', event.id).execute(),
    ).rejects.toMatchObject(appendOnly);
    const kept = await deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(kept.action).toBe('partner.updated');
  });

  test("a credential whose partner or environment differs from its app's cannot be stored", async () => {
    const deps = await openKeysStore(store, 'composite_fk');
    const a = await signUp(deps);
    const b = await signUp(deps);
    const now = deps.clock.now().toISOString();
    await deps.db
      .insertInto('apps')
      .values({
        id: 'app_01KDVDNA00WQWB43C23YJKKVC4',
        partner_id: a.partner.id,
        name: 'A',
        description: null,
        environment: 'test',
        status: 'active',
        status_reason: null,
        reviewed_at: null,
        scopes: '[]',
        metadata: '{}',
        created_by: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    const key = (partnerId: string, environment: string, digest: string) =>
      deps.db
        .insertInto('api_keys')
        .values({
          id: deps.newId('key'),
          partner_id: partnerId,
          app_id: 'app_01KDVDNA00WQWB43C23YJKKVC4',
          environment,
          name: 'k',
          digest,
          pepper_id: 'p1',
          prefix: 'ptc_test_abcd',
          last4: 'abcd',
          scopes: '[]',
          expires_at: null,
          revoked_at: null,
          rolled_from_id: null,
          replaced_by_id: null,
          last_used_at: null,
          created_by: null,
          created_at: now,
        })
        .execute();
    await expect(key(b.partner.id, 'test', 'd1')).rejects.toMatchObject({
      code: expect.stringMatching(/^(23503|SQLITE_CONSTRAINT_FOREIGNKEY)$/),
    });
    await expect(key(a.partner.id, 'live', 'd2')).rejects.toMatchObject({
      code: expect.stringMatching(/^(23503|SQLITE_CONSTRAINT_FOREIGNKEY)$/),
    });
    await key(a.partner.id, 'test', 'd3');
  });

  test('0005 moves daily counts to the first hour of their day, no credential, the count in its average’s bucket', async () => {
    const before = Object.fromEntries(
      Object.entries(keysMigrations).filter(([name]) => name < '0005'),
    ) as typeof keysMigrations;
    const database = await store.open<KeysTables>('usage_0005', before);
    const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const clock = { now: () => new Date('2026-11-25T12:00:00.000Z') };
    const deps = { db: database.db, clock, newId: createIdGenerator() };
    const tenant = await signUp(deps);
    const row = (day: string, status: number, count: number, latency: number) => ({
      partner_id: tenant.partner.id,
      app_id: 'app_01KDVDNA00WQWB43C23YJKKVA1',
      environment: 'test',
      day,
      api: 'crm',
      operation_id: 'listCustomers',
      status,
      count,
      latency_ms_total: latency,
    });
    await db
      .insertInto('usage_daily')
      .values([
        row('2026-11-24', 200, 10, 100), // average 10 → (5, 10]
        row('2026-11-25', 200, 4, 204), // average 51 → (50, 100]
        row('2026-11-25', 429, 2, 0), // average 0 → ≤ 5
        row('2026-11-25', 504, 1, 30_000), // over 10000
      ])
      .execute();
    expect(await migrateToLatest(database as Database<unknown>, keysMigrations)).toEqual([
      '0005_usage_hourly_and_request_log',
    ]);
    const moved = await database.db
      .selectFrom('usage_hourly')
      .selectAll()
      .orderBy('hour')
      .orderBy('status')
      .execute();
    expect(
      moved.map((r) => [
        r.hour,
        r.credential_id,
        Number(r.status),
        Number(r.count),
        Number(r.latency_ms_total),
        Number(r.latency_le_5),
        Number(r.latency_le_10),
        Number(r.latency_le_100),
        Number(r.latency_le_inf),
      ]),
    ).toEqual([
      ['2026-11-24T00:00:00.000Z', '', 200, 10, 100, 0, 10, 0, 0],
      ['2026-11-25T00:00:00.000Z', '', 200, 4, 204, 0, 0, 4, 0],
      ['2026-11-25T00:00:00.000Z', '', 429, 2, 0, 2, 0, 0, 0],
      ['2026-11-25T00:00:00.000Z', '', 504, 1, 30_000, 0, 0, 0, 1],
    ]);
    await expect(sql`select count(*) from usage_daily`.execute(database.db)).rejects.toBeDefined();

    // Reports read the moved counts once, as made by no known credential.
    const report = await usageReport(deps, { partnerId: tenant.partner.id }, { groupBy: ['day', 'key'] });
    expect(report.rows.map((r) => [r.date, r.credentialId, r.requests])).toEqual([
      ['2026-11-24', null, 10],
      ['2026-11-25', null, 7],
    ]);
  });
});
