// Jest global setup: says, once per run, which external-engine suites will run and why the others will not,
// so that nothing is skipped silently.
import { loadConfig } from '../config';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const lines = [
    config.databaseUrl
      ? 'PostgreSQL suites: ON (DATABASE_URL is set; each suite uses its own schema and drops it)'
      : 'PostgreSQL suites: SKIPPED (DATABASE_URL is not set; e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
    config.redisUrl
      ? 'Redis suites: ON (REDIS_URL is set; each suite uses its own key prefix)'
      : 'Redis suites: SKIPPED (REDIS_URL is not set; e.g. REDIS_URL=redis://127.0.0.1:6379)',
  ];
  process.stdout.write(`\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}
