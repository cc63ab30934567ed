// The control-plane resources a process needs to work with keys: the secrets, the migrated keys store (SQLite under
// PORTICO_DATA_DIR or the `keys` schema of DATABASE_URL) and the invalidation bus (Redis pub/sub when REDIS_URL is
// set). The portal and the gateway each open one; `npm start` opens one and hands it to both (one SQLite writer).
import type { Config } from '../../../internal/src/config';
import type { Logger } from '../../../internal/src/logger';
import { resolveSecrets, type ServerSecrets } from '../../../internal/src/secrets';
import { openDatabase, targetFor, type Database } from '../../../internal/src/store/database';
import { migrateToLatest } from '../../../internal/src/store/migrate';
import { memoryInvalidationBus, redisInvalidationBus, type InvalidationBus } from '../events/invalidation';
import { keysMigrations } from '../store/migrations';
import type { KeysTables } from '../store/schema';

export const KEYS_STORE_NAME = 'keys';

export interface ControlPlane {
  secrets: ServerSecrets;
  database: Database<KeysTables>;
  invalidations: InvalidationBus;
  /** Closes what this object opened (the owner calls it once). */
  close(): Promise<void>;
}

export async function openControlPlane(config: Config, logger: Logger): Promise<ControlPlane> {
  const secrets = resolveSecrets(config);
  const database = await openDatabase<KeysTables>(
    targetFor(KEYS_STORE_NAME, {
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      schemaPrefix: config.pgSchemaPrefix,
    }),
  );
  try {
    const applied = await migrateToLatest(database as Database<unknown>, keysMigrations);
    if (applied.length > 0) logger.info({ migrations: applied }, 'keys store migrations applied');
    const invalidations = config.redisUrl
      ? await redisInvalidationBus({ url: config.redisUrl, prefix: config.redisPrefix, logger })
      : memoryInvalidationBus();
    return {
      secrets,
      database,
      invalidations,
      close: async () => {
        await invalidations.close().catch(() => undefined);
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
