// `npm start`: runs the Portico platform in one process on embedded defaults (SQLite files under PORTICO_DATA_DIR,
// seeded demo data), or on PostgreSQL when DATABASE_URL is set. Optional arguments pick services: `crm orders`.
import { ConfigError, loadConfig } from '../internal/src/config';
import { createLogger } from '../internal/src/logger';
import { DEMO_SCOPE, runServices } from '../internal/src/service/run-services';
import { PLATFORM_SERVICES } from './services';

const SHUTDOWN_GRACE_MS = 30_000;

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'portico' });
  const wanted = argv.length > 0 ? argv : PLATFORM_SERVICES.map((s) => s.name);
  const unknown = wanted.filter((name) => !PLATFORM_SERVICES.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Unknown service(s): ${unknown.join(', ')}. Known: ${PLATFORM_SERVICES.map((s) => s.name).join(', ')}`,
    );
  }
  const platform = await runServices(
    PLATFORM_SERVICES.filter((s) => wanted.includes(s.name)),
    { config, logger },
  );

  const width = Math.max(...platform.services.map((s) => s.title.length));
  const lines = [
    '',
    'Portico is running.',
    '',
    ...platform.services.map((s) => `  ${s.title.padEnd(width)}  ${s.url}   (store: ${s.store})`),
    '',
    config.seedDemo
      ? `Demo data is seeded for partner ${DEMO_SCOPE.partnerId} (${DEMO_SCOPE.environment}). Until the gateway lands, backends`
      : 'Demo data is off (PORTICO_SEED_DEMO=false). Until the gateway lands, backends',
    'take the caller from two headers. Try:',
    '',
    `  curl -s ${platform.services[0]?.demoUrl} \\`,
    `    -H 'X-Portico-Partner-Id: ${DEMO_SCOPE.partnerId}' -H 'X-Portico-Environment: ${DEMO_SCOPE.environment}'`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    // Never hang on a stuck connection: leave after the grace period whatever happens.
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Start-up errors are never swallowed: say what is wrong and exit non-zero.
  process.stderr.write(
    `\nPortico could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  if (!(error instanceof ConfigError) && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
