// Opens a Kysely database on the embedded SQLite default or on PostgreSQL, and hides their differences:
// every service stores ids and timestamps as text, booleans as 0/1 integers and JSON as text, so rows look
// the same on both dialects (see STACK.md pitfall 9). On PostgreSQL each service lives in its own schema.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { PortableParametersPlugin } from './portable-parameters';
import pg from 'pg';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  /** `sqlite` with a file path (or ':memory:'), or `postgres` with a URL and a schema name. */
  dialect: Dialect;
  file?: string;
  url?: string;
  schema?: string;
  /** PostgreSQL pool size; SQLite always uses one connection. */
  poolSize?: number;
}

export interface Database<Tables> {
  readonly db: Kysely<Tables>;
  readonly dialect: Dialect;
  /** How it was opened, so another process (a test's second gateway) can open the same data. */
  readonly target: DatabaseTarget;
  /** The PostgreSQL schema holding this service's tables (undefined on SQLite). */
  readonly schema: string | undefined;
  /** Where the data lives, for logs and the start-up banner (never includes a password). */
  readonly describe: string;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Chooses the target for one service: PostgreSQL when a URL is configured, otherwise `<dataDir>/<service>.sqlite`. */
export function targetFor(
  service: string,
  options: { dataDir: string; databaseUrl?: string | undefined; schemaPrefix: string },
): DatabaseTarget {
  if (options.databaseUrl) {
    return { dialect: 'postgres', url: options.databaseUrl, schema: `${options.schemaPrefix}_${service}` };
  }
  return { dialect: 'sqlite', file: path.join(options.dataDir, `${service}.sqlite`) };
}

export async function openDatabase<Tables>(target: DatabaseTarget): Promise<Database<Tables>> {
  return target.dialect === 'postgres' ? openPostgres<Tables>(target) : openSqlite<Tables>(target);
}

function openSqlite<Tables>(target: DatabaseTarget): Database<Tables> {
  const file = target.file ?? ':memory:';
  const created = file !== ':memory:' && !fs.existsSync(file);
  // The stores hold key digests, sessions and encrypted signing secrets: only the owner reads them. A new data
  // directory is private, and a new database file is too (SQLite gives its -wal and -shm files the same mode).
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (created) fs.closeSync(fs.openSync(file, 'a', 0o600));
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  // Another process (a second service, a migration) may hold the write lock briefly.
  raw.pragma('busy_timeout = 5000');
  // LIKE is case-sensitive on PostgreSQL; make SQLite's agree so a filter means the same thing on both engines.
  raw.pragma('case_sensitive_like = ON');
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: raw }),
    plugins: [new PortableParametersPlugin()],
  });
  return {
    db,
    dialect: 'sqlite',
    target: { dialect: 'sqlite', file },
    schema: undefined,
    describe: `sqlite:${file}`,
    close: () => db.destroy(),
  };
}

async function openPostgres<Tables>(target: DatabaseTarget): Promise<Database<Tables>> {
  const schema = target.schema ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'`);
  if (!target.url) throw new Error('A PostgreSQL target needs a URL');
  // Create the schema first with a one-off client, so that every pooled connection can put it on its search_path.
  const bootstrap = new pg.Client({ connectionString: target.url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two processes creating the same schema at once race on the catalog; the loser can go on.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    options: `-c search_path="${schema}"`,
    // int8 and numeric as JS numbers: amounts are integer minor units, far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 || oid === 1700
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new PortableParametersPlugin()],
  });
  const safeUrl = target.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  return {
    db,
    dialect: 'postgres',
    target: { ...target, schema },
    schema,
    describe: `${safeUrl} (schema ${schema})`,
    close: () => db.destroy(),
  };
}

/** Drops a PostgreSQL schema and everything in it; used by tests to clean up after themselves. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name '${schema}'`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** `count(*)` comes back as a number on SQLite and as a string on PostgreSQL without our parser; normalise anyway. */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

export { sql };
