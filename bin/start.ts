// `npm start`: runs the Portico platform in one process on embedded defaults (SQLite files under PORTICO_DATA_DIR,
// seeded demo data), or on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set: the backends, the management API
// and the gateway in front of the backends. Optional arguments pick services: `npm start -- crm gateway`.
import fs from 'node:fs';
import path from 'node:path';
import { systemClock } from '../internal/src/clock';
import { ConfigError, loadConfig, type Config } from '../internal/src/config';
import { createIdGenerator } from '../internal/src/ids';
import { createLogger } from '../internal/src/logger';
import { runServices } from '../internal/src/service/run-services';
import { createPepperRing } from '../keys/src/domain/key-digest';
import { openControlPlane, type ControlPlane } from '../keys/src/runtime/control-plane';
import { startGateway, type RunningGateway } from '../gateway/src/gateway-process';
import { startPortal, type RunningPortal } from '../portal/server/src/portal-process';
import { buildPortalWeb } from '../portal/server/src/web/build-web';
import {
  DEMO_CREDENTIALS_FILE,
  ensureDemoPartner,
  saveDemoCredentials,
  type DemoPartner,
} from './demo-partner';
import { PLATFORM_SERVICES } from './services';

const PORTAL = 'portal';
const GATEWAY = 'gateway';

const SHUTDOWN_GRACE_MS = 30_000;

async function main(argv: string[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'portico' });
  const known = [...PLATFORM_SERVICES.map((s) => s.name), PORTAL, GATEWAY];
  const wanted = argv.length > 0 ? argv : known;
  const unknown = wanted.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`Unknown service(s): ${unknown.join(', ')}. Known: ${known.join(', ')}`);
  }
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };

  let portal: RunningPortal | undefined;
  let gateway: RunningGateway | undefined;
  let demo: DemoPartner | undefined;
  let demoCredentialsFile: string | undefined;
  let platform: Awaited<ReturnType<typeof runServices>>;
  try {
    platform = await runServices(
      PLATFORM_SERVICES.filter((s) => wanted.includes(s.name)),
      { config, logger },
    );
    stops.push(() => platform.stop());
    let controlPlane: ControlPlane | undefined;
    if (wanted.includes(PORTAL) || wanted.includes(GATEWAY)) {
      // One control plane for both: on SQLite, one process holds one connection to the keys store.
      const opened = await openControlPlane(config, logger);
      controlPlane = opened;
      stops.push(() => opened.close());
    }
    if (wanted.includes(PORTAL)) {
      // The UI is built on every start (about a second), so it always matches the checked-out sources.
      const webRoot = await buildPortalWeb();
      const running = await startPortal({ config, logger, controlPlane: controlPlane!, webRoot });
      portal = running;
      stops.push(() => running.stop());
    }
    if (wanted.includes(GATEWAY)) {
      const running = await startGateway({
        config: withStartedBackends(config, platform.services),
        logger,
        controlPlane: controlPlane!,
      });
      gateway = running;
      stops.push(() => running.stop({ graceMs: SHUTDOWN_GRACE_MS - 1_000 }));
      if (config.seedDemo) {
        demo = await ensureDemoPartner(controlPlane!, {
          clock: systemClock,
          newId: createIdGenerator(),
          peppers: createPepperRing(controlPlane!.secrets.keyPeppers),
        });
        // Kept for the examples only beside a generated secrets.json (embedded defaults): an installation whose
        // secrets are configured is a shared one, where no key is written to disk for convenience.
        if (controlPlane!.secrets.generatedFile) {
          demoCredentialsFile = keepDemoCredentials(config, demo, running.url, logger);
        }
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  process.stdout.write(
    banner({
      platform,
      portal,
      gateway,
      demo,
      demoCredentialsFile,
      dataDir: config.dataDir,
      secretsFile: portal?.secretsFile,
    }).join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    // Never hang on a stuck connection: leave after the grace period whatever happens.
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    stopAll().then(
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

/**
 * The file where the demo key is kept for the examples: written when the demo partner was just created, never
 * touched afterwards (so a restart changes nothing); undefined when there is none. A failure to write it is
 * reported and leaves the platform running: the banner still shows the key.
 */
function keepDemoCredentials(
  config: Config,
  demo: DemoPartner,
  gatewayUrl: string,
  logger: ReturnType<typeof createLogger>,
): string | undefined {
  if (!demo.created) {
    const file = path.join(config.dataDir, DEMO_CREDENTIALS_FILE);
    return fs.existsSync(file) ? file : undefined;
  }
  try {
    return saveDemoCredentials(config.dataDir, { ...demo, gatewayUrl });
  } catch (error) {
    logger.warn({ err: error }, 'could not keep the demo credentials for the examples');
    return undefined;
  }
}

/**
 * The gateway forwards to the backends this process started, at the addresses they got: with a port of 0 they are
 * known only now. A backend not started here keeps its configured address (PORTICO_CRM_URL, …).
 */
function withStartedBackends(config: Config, services: ReadonlyArray<{ name: string; url: string }>): Config {
  const upstreams: Record<string, string> = { ...config.gateway.upstreams };
  for (const service of services) {
    if (service.name in upstreams) upstreams[service.name] = new URL(service.url).origin;
  }
  return {
    ...config,
    gateway: { ...config.gateway, upstreams: upstreams as Config['gateway']['upstreams'] },
  };
}

/**
 * How to run the quick start against this process. It looks for the gateway at http://127.0.0.1:8080 and for the
 * credentials under ./data unless told otherwise; the environment wins over what the credentials file recorded, so
 * the command is right even when the ports changed since the first start.
 */
function quickStartCommand(gatewayUrl: string, dataDir: string): string {
  const env = [
    ...(gatewayUrl === 'http://127.0.0.1:8080' ? [] : [`PORTICO_GATEWAY_URL=${gatewayUrl}`]),
    ...(dataDir === path.resolve('data') ? [] : [`PORTICO_DATA_DIR='${dataDir}'`]),
  ];
  return [...env, 'npm run example:quickstart'].join(' ');
}

function banner(running: {
  platform: Awaited<ReturnType<typeof runServices>>;
  portal: RunningPortal | undefined;
  gateway: RunningGateway | undefined;
  demo: DemoPartner | undefined;
  demoCredentialsFile: string | undefined;
  dataDir: string;
  secretsFile: string | undefined;
}): string[] {
  const { platform, portal, gateway, demo } = running;
  const rows = [
    ...(gateway ? [{ title: 'Gateway', url: gateway.url, store: 'keys store + limits in memory' }] : []),
    ...platform.services.map((s) => ({ title: `${s.title} (backend)`, url: s.url, store: s.store })),
    ...(portal
      ? [
          { title: 'Developer portal', url: portal.url, store: '' },
          { title: 'API docs', url: `${portal.url}/docs`, store: '' },
          { title: 'Management API', url: portal.apiUrl, store: portal.store },
        ]
      : []),
  ];
  const width = Math.max(...rows.map((r) => r.title.length));
  const lines = [
    '',
    'Portico is running.',
    '',
    ...rows.map((r) => `  ${r.title.padEnd(width)}  ${r.url}`),
    '',
  ];
  const quickStart = gateway ? quickStartCommand(gateway.url, running.dataDir) : '';
  if (gateway && demo?.created) {
    lines.push(
      running.demoCredentialsFile
        ? 'A demo partner was created with a test app. Its API key is printed this once (and kept for the examples):'
        : 'A demo partner was created with a test app. Its API key is shown this once — keep it:',
      '',
      `  ${demo.apiKey}`,
      '',
      'Your first call through the gateway:',
      '',
      `  curl -s ${gateway.url}/crm/v1/customers -H 'Authorization: Bearer ${demo.apiKey}'`,
      '',
    );
    if (running.demoCredentialsFile) {
      lines.push(
        `So that the examples work without copying it, this test key is also kept in ${running.demoCredentialsFile}`,
        "(readable by you only; the demo partner's test key and nothing else). In a second terminal, run:",
        '',
        `  ${quickStart}`,
        '',
      );
    }
    lines.push(
      `The demo owner signs in to the portal as ${demo.ownerEmail} with the password ${demo.ownerPassword}`,
      '(also shown only now).',
      '',
    );
  } else if (gateway && demo && running.demoCredentialsFile) {
    lines.push(
      `The demo partner exists from an earlier start; its test key is kept in ${running.demoCredentialsFile}.`,
      'Call the gateway with the SDK (in a second terminal):',
      '',
      `  ${quickStart}`,
      '',
    );
  } else if (gateway && demo) {
    lines.push(
      'The demo partner exists from an earlier start; its key was shown then. Make a new one in the portal, or',
      'delete the data directory to start afresh. Call the gateway with:',
      '',
      `  curl -s ${gateway.url}/crm/v1/customers -H 'Authorization: Bearer <your key>'`,
      '',
    );
  }
  if (portal) {
    lines.push(
      `Open the developer portal at ${portal.url} to sign up a partner of your own, or from a script`,
      '(then use the portico_session cookie and the csrfToken it returns):',
      '',
      `  curl -si ${portal.apiUrl}/signup -H 'Content-Type: application/json' \\`,
      `    -d '{"partnerName":"Jade Pharmacy","name":"Li Wei","email":"li.wei@jade.example","password":"a long passphrase 42"}'`,
      '',
      running.secretsFile
        ? `The operator token and the server secrets are in ${running.secretsFile} (generated; keep it private).`
        : 'The operator token is PORTICO_OPERATOR_TOKEN.',
      '',
    );
  }
  lines.push('Backends accept only requests the gateway signed for them. Press Ctrl+C to stop.', '');
  return lines;
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
