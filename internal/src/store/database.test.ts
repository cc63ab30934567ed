// The store layer behaves the same on SQLite and PostgreSQL: parameters, number types, migrations run twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { describeEachStore } from '../testing/test-store';
import { openDatabase, toCount, type Database } from './database';
import { migrateToLatest, type Migrations } from './migrate';

interface Tables {
  things: { id: string; flag: number; amount: number; at: string };
}

const migrations: Migrations = {
  '0001_things': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('things')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('flag', 'integer', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

describeEachStore('store layer', (store) => {
  test('booleans and Dates bind the same way on both engines, big integers come back as numbers', async () => {
    const { db } = await store.open<Tables>('things', migrations);
    const at = new Date('2026-11-24T10:00:00.000Z');
    await db
      .insertInto('things')
      .values({
        id: 'a',
        flag: true as unknown as number,
        amount: 9_007_199_254_740,
        at: at as unknown as string,
      })
      .execute();
    const row = await db.selectFrom('things').selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'a', flag: 1, amount: 9_007_199_254_740, at: '2026-11-24T10:00:00.000Z' });
    const { n } = await db
      .selectFrom('things')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(toCount(n)).toBe(1);
  });

  test('migrations are recorded and a second run applies nothing', async () => {
    const database = await store.open<Tables>('twice', migrations);
    const { db } = database;
    expect(await migrateToLatest(database as Database<unknown>, migrations)).toEqual([]);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(['0001_things']);
  });

  test('a conditional update is atomic under concurrency', async () => {
    const { db } = await store.open<Tables>('atomic', migrations);
    await db.insertInto('things').values({ id: 'b', flag: 0, amount: 5, at: 'now' }).execute();
    const attempts = await Promise.all(
      Array.from({ length: 20 }, () =>
        db
          .updateTable('things')
          .set((eb) => ({ amount: eb('amount', '-', 1) }))
          .where('id', '=', 'b')
          .where('amount', '>=', 1)
          .executeTakeFirst(),
      ),
    );
    expect(attempts.filter((r) => Number(r.numUpdatedRows) === 1)).toHaveLength(5);
    const row = await db
      .selectFrom('things')
      .select('amount')
      .where('id', '=', 'b')
      .executeTakeFirstOrThrow();
    expect(row.amount).toBe(0);
  });

  test('LIKE is case-sensitive on both engines', async () => {
    const { db } = await store.open<Tables>('like', migrations);
    await db.insertInto('things').values({ id: 'Clinic', flag: 0, amount: 0, at: 'now' }).execute();
    const hits = async (pattern: string) =>
      (await db.selectFrom('things').select('id').where('id', 'like', pattern).execute()).length;
    expect(await hits('%clinic%')).toBe(0);
    expect(await hits('%Clinic%')).toBe(1);
  });
});

describe('SQLite files', () => {
  test('a new data directory and its database files are readable by the owner only', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-db-mode-'));
    const file = path.join(parent, 'data', 'crm.sqlite');
    const database = await openDatabase<Tables>({ dialect: 'sqlite', file });
    try {
      await migrateToLatest(database as Database<unknown>, migrations);
      const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
      expect(mode(path.dirname(file))).toBe('700');
      for (const name of fs.readdirSync(path.dirname(file))) {
        expect(`${name} ${mode(path.join(path.dirname(file), name))}`).toBe(`${name} 600`);
      }
      expect(fs.readdirSync(path.dirname(file))).toContain('crm.sqlite-wal');
    } finally {
      await database.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
