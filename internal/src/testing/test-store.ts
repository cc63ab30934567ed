// Runs store-backed suites on every engine: SQLite always, PostgreSQL when DATABASE_URL is set (and failing, not
// skipping, when it is set but unreachable). Each suite gets its own SQLite directory or PostgreSQL schema and
// removes it afterwards, so parallel runs and leftovers never collide.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { dropPostgresSchema, openDatabase, type Database, type Dialect } from '../store/database';
import { migrateToLatest, type Migrations } from '../store/migrate';

export class TestStore {
  private readonly opened: Database<unknown>[] = [];
  private readonly schemas: string[] = [];
  private readonly runId = `${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
  private dir: string | undefined;

  constructor(
    readonly dialect: Dialect,
    private readonly databaseUrl: string | undefined,
  ) {}

  /** Opens a fresh, migrated database for one service (a new file or a new schema each call). */
  async open<Tables>(service: string, migrations: Migrations): Promise<Database<Tables>> {
    const suffix = `${service}_${this.opened.length}`;
    let database: Database<Tables>;
    if (this.dialect === 'postgres') {
      const schema = `t_${this.runId}_${suffix}`;
      this.schemas.push(schema);
      database = await openDatabase<Tables>({
        dialect: 'postgres',
        url: this.databaseUrl!,
        schema,
        poolSize: 20,
      });
    } else {
      this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'portico-test-'));
      database = await openDatabase<Tables>({
        dialect: 'sqlite',
        file: path.join(this.dir, `${suffix}.sqlite`),
      });
    }
    this.opened.push(database as Database<unknown>);
    await migrateToLatest(database as Database<unknown>, migrations);
    return database;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((d) => d.close()));
    for (const schema of this.schemas.splice(0)) await dropPostgresSchema(this.databaseUrl!, schema);
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Declares `body` once per store engine; PostgreSQL runs when DATABASE_URL is set and is reported when not. */
export function describeEachStore(title: string, body: (store: TestStore) => void): void {
  const { databaseUrl } = loadConfig();
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'postgres' && !databaseUrl) {
      describe.skip(`${title} [postgres] (skipped: DATABASE_URL is not set)`, () => {
        test('runs on PostgreSQL', () => undefined);
      });
      continue;
    }
    describe(`${title} [${dialect}]`, () => {
      const store = new TestStore(dialect, databaseUrl);
      afterAll(() => store.cleanup());
      body(store);
    });
  }
}
