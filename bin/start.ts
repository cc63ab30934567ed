// `npm start`: runs the Portico platform in one process on embedded defaults (SQLite files under PORTICO_DATA_DIR,
// seeded demo data), or on PostgreSQL when DATABASE_URL is set. Optional arguments pick services: `crm portal`.
import { ConfigError, loadConfig } from '../internal/src/config';
import { createLogger } from '../internal/src/logger';
import { DEMO_SCOPE, runServices } from '../internal/src/service/run-services';
import { startPortal, type RunningPortal } from '../portal/server/src/portal-process';
import { PLATFORM_SERVICES } from './services';

const PORTAL = 'portal';

const SHUTDOWN_GRACE_MS = 30_000;

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'portico' });
  const known = [...PLATFORM_SERVICES.map((s) => s.name), PORTAL];
  const wanted = argv.length > 0 ? argv : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`Unknown service(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`);
  }
  const platform = await runServices(
    PLATFORM_SERVICES.filter((s) => wanted.includes(s.name)),
    { config, logger },
  );
  let portal: RunningPortal | undefined;
  try {
    if (wanted.includes(PORTAL)) portal = await startPortal({ config, logger });
  } catch (error) {
    await platform.stop();
    throw error;
  }

  const rows = [
    ...platform.services.map((s) => ({ title: s.title, url: s.url, store: s.store })),
    ...(portal ? [{ title: 'Management API', url: portal.apiUrl, store: portal.store }] : []),
  ];
  const width = Math.max(...rows.map((r) => r.title.length));
  const lines = [
    '',
    'Portico is running.',
    '',
    ...rows.map((r) => `  ${r.title.padEnd(width)}  ${r.url}   (store: ${r.store})`),
    '',
    ...(portal
      ? [
          'Sign up a partner (then use the portico_session cookie and the csrfToken it returns):',
          '',
          `  curl -si ${portal.apiUrl}/signup -H 'Content-Type: application/json' \\`,
          `    -d '{"partnerName":"Jade Pharmacy","name":"Li Wei","email":"li.wei@jade.example","password":"a long passphrase 42"}'`,
          '',
          portal.secretsFile
            ? `The operator token and the server secrets are in ${portal.secretsFile} (generated; keep it private).`
            : 'The operator token is PORTICO_OPERATOR_TOKEN.',
          '',
        ]
      : []),
    ...(platform.services[0]
      ? [
          config.seedDemo
            ? `Demo data is seeded for partner ${DEMO_SCOPE.partnerId} (${DEMO_SCOPE.environment}). Until the gateway lands, backends`
            : 'Demo data is off (PORTICO_SEED_DEMO=false). Until the gateway lands, backends',
          'take the caller from two headers. Try:',
          '',
          `  curl -s ${platform.services[0].demoUrl} \\`,
          `    -H 'X-Portico-Partner-Id: ${DEMO_SCOPE.partnerId}' -H 'X-Portico-Environment: ${DEMO_SCOPE.environment}'`,
          '',
        ]
      : []),
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
    Promise.all([platform.stop(), portal?.stop()]).then(
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
