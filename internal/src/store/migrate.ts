// Runs a service's migrations through Kysely's Migrator: ordered by name, recorded in a table, locked so two
// processes starting at once do not both apply them, and a no-op when run again.
import { Migrator, type Kysely, type Migration } from 'kysely';

export type Migrations = Record<string, Migration>;

export async function migrateToLatest(db: Kysely<unknown>, migrations: Migrations): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
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
