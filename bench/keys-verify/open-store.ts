// A fresh, migrated keys store for one benchmark run: a SQLite file in a new temporary directory, or a PostgreSQL
// schema of its own. `dispose()` removes it (the directory, or the schema with everything in it); the caller runs it
// in a `finally`, and it is safe to call when the store was only half made.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../internal/src/clock';
import { createIdGenerator } from '../../internal/src/ids';
import {
  dropPostgresSchema,
  openDatabase,
  type Database,
  type Dialect,
} from '../../internal/src/store/database';
import { migrateToLatest } from '../../internal/src/store/migrate';
import type { KeysStoreDeps } from '../../keys/src/store/deps';
import { keysMigrations } from '../../keys/src/store/migrations';
import type { KeysTables } from '../../keys/src/store/schema';

export interface BenchStore {
  readonly deps: KeysStoreDeps;
  readonly dialect: Dialect;
  /** Where the data lives (no password). */
  readonly describe: string;
  dispose(): Promise<void>;
}

export interface BenchStoreOptions {
  dialect: Dialect;
  /** Required for `postgres`. */
  databaseUrl?: string | undefined;
  /** PostgreSQL pool size: at least the number of verifications the benchmark keeps in flight. */
  poolSize: number;
}

export async function openBenchStore(options: BenchStoreOptions): Promise<BenchStore> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const dispose = async () => {
    // Last made, first removed: the connections are closed before the schema is dropped.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    let database: Database<KeysTables>;
    if (options.dialect === 'postgres') {
      if (!options.databaseUrl) throw new Error('PostgreSQL needs DATABASE_URL');
      const url = options.databaseUrl;
      const schema = `bench_keys_verify_${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
      // Registered before the schema exists: openDatabase creates it, and may fail after doing so.
      cleanups.push(() => dropPostgresSchema(url, schema));
      database = await openDatabase<KeysTables>({
        dialect: 'postgres',
        url,
        schema,
        poolSize: options.poolSize,
      });
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-keys-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      database = await openDatabase<KeysTables>({ dialect: 'sqlite', file: path.join(dir, 'keys.sqlite') });
    }
    cleanups.push(() => database.close());
    await migrateToLatest(database as Database<unknown>, keysMigrations);
    return {
      deps: {
        db: database.db,
        clock: systemClock,
        newId: createIdGenerator(() => systemClock.now().getTime()),
      },
      dialect: database.dialect,
      describe: database.describe,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
