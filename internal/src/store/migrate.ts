// Runs a service's migrations through Kysely's Migrator: ordered by name, recorded in a table, locked so two
// processes starting at once do not both apply them, and a no-op when run again.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Database } from './database';

export type Migrations = Record<string, Migration>;

export async function migrateToLatest(
  database: Database<unknown>,
  migrations: Migrations,
): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    // On PostgreSQL the bookkeeping tables must live in the service's own schema: otherwise the Migrator finds
    // another service's kysely_migration table through the catalog and skips creating its own.
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
