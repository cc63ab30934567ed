// Declares an end-to-end suite once per platform variant: SQLite with everything in process memory always, and
// PostgreSQL and/or Redis (shared limits, nonces, invalidations) when DATABASE_URL / REDIS_URL are set. A variant
// that cannot run is declared skipped with the reason in its title, as test-store.ts and test-redis.ts do.
import type { Dialect } from '../../../../internal/src/store/database';
import { loadConfig } from '../../../../internal/src/config';

export interface PlatformVariant {
  /** For titles: `sqlite`, `postgres+redis` … */
  name: string;
  dialect: Dialect;
  /** REDIS_URL, when this variant shares its state through Redis. */
  redisUrl?: string;
}

/**
 * Without `requireRedis`: `sqlite` (no Redis), then the configured engines together (`postgres+redis`, or
 * whichever of the two is set). With it: `sqlite+redis` and `postgres+redis`, each only when its URLs are set.
 */
export function describeEachVariant(
  title: string,
  body: (variant: PlatformVariant) => void,
  options: { requireRedis?: boolean } = {},
): void {
  const { databaseUrl, redisUrl } = loadConfig();
  const skip = (label: string, reason: string) =>
    describe.skip(`${title} [${label}] (skipped: ${reason})`, () => {
      test(`runs on ${label}`, () => undefined);
    });
  const run = (variant: PlatformVariant) => describe(`${title} [${variant.name}]`, () => body(variant));

  if (options.requireRedis) {
    if (!redisUrl) {
      skip('redis', 'REDIS_URL is not set');
      return;
    }
    run({ name: 'sqlite+redis', dialect: 'sqlite', redisUrl });
    if (databaseUrl) run({ name: 'postgres+redis', dialect: 'postgres', redisUrl });
    else skip('postgres+redis', 'DATABASE_URL is not set');
    return;
  }

  run({ name: 'sqlite', dialect: 'sqlite' });
  if (!databaseUrl) skip('postgres', 'DATABASE_URL is not set');
  if (!redisUrl) skip('redis', 'REDIS_URL is not set');
  if (databaseUrl || redisUrl) {
    const dialect: Dialect = databaseUrl ? 'postgres' : 'sqlite';
    run({
      name: [dialect, ...(redisUrl ? ['redis'] : [])].join('+'),
      dialect,
      ...(redisUrl ? { redisUrl } : {}),
    });
  }
}
