// The control-plane schema migrates on both engines, a second run is a no-op, the plans are seeded once, and the
// database itself keeps audit events append-only.
import { sql } from 'kysely';
import type { Database } from '../../../internal/src/store/database';
import { migrateToLatest } from '../../../internal/src/store/migrate';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { appendAuditEvent } from './audit-events';
import { keysMigrations } from './migrations';
import type { KeysTables } from './schema';
import { ENTERPRISE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { memberContext, openKeysStore, signUp } from './test-fixtures';

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
});
