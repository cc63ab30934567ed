// Runs backend services in this process on the embedded defaults or the configured engines: opens and migrates
// each store, seeds the demo tenant on request, listens behind the gateway's identity assertions, and stops them all
// cleanly (drain, then close stores).
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { createIdGenerator } from '../ids';
import type { Logger } from '../logger';
import { startServer, type RunningServer } from '../http/start-server';
import { identityPublicKeys, type IdentityKeyRing } from '../identity/identity-keys';
import { createIdentityVerifier } from '../identity/identity-verifier';
import { resolveIdentityKeys } from '../secrets';
import { openDatabase, targetFor, type Database } from '../store/database';
import { migrateToLatest } from '../store/migrate';
import type { TenantScope } from '../store/query-helpers';
import type { DemoRefs, ServiceModule } from './service-module';

/** The tenant the demo data belongs to until the keys issue seeds a real demo partner. */
export const DEMO_SCOPE: TenantScope = { partnerId: 'prt_demo', environment: 'test' };

export interface RunningService {
  name: string;
  title: string;
  url: string;
  /** A URL that lists seeded demo data. */
  demoUrl: string;
  store: string;
}

export interface RunningPlatform {
  services: RunningService[];
  demo: DemoRefs;
  stop(): Promise<void>;
}

export async function runServices(
  // The list mixes services with different table types; each is used only with its own database.
  modules: ReadonlyArray<ServiceModule<any>>, // eslint-disable-line @typescript-eslint/no-explicit-any
  options: {
    config: Config;
    logger: Logger;
    clock?: Clock;
    /**
     * The gateway's identity keys, when the caller has resolved them already (to sign with them in the same
     * process); by default resolveIdentityKeys(config): PORTICO_IDENTITY_KEYS, or secrets.json on the embedded
     * defaults. Backends verify with the public halves only.
     */
    identityKeys?: IdentityKeyRing;
  },
): Promise<RunningPlatform> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  // Before any store is opened: a missing key with DATABASE_URL is a configuration error to report at once.
  const publicKeys = identityPublicKeys(options.identityKeys ?? resolveIdentityKeys(config));
  const newId = createIdGenerator(() => clock.now().getTime());
  const databases: Database<unknown>[] = [];
  const servers: RunningServer[] = [];
  const services: RunningService[] = [];
  let demo: DemoRefs = {};
  const stop = async () => {
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled(databases.map((d) => d.close()));
  };
  try {
    for (const module of modules) {
      const database = await openDatabase<unknown>(
        targetFor(module.name, {
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          schemaPrefix: config.pgSchemaPrefix,
        }),
      );
      databases.push(database);
      const applied = await migrateToLatest(database, module.migrations);
      const log = logger.child({ service: module.name });
      if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
      if (config.seedDemo && module.seedDemo) {
        demo = { ...demo, ...(await module.seedDemo({ db: database.db, clock, newId }, DEMO_SCOPE, demo)) };
      }
      const app = module.createApp({
        db: database.db,
        clock,
        newId,
        logger: log,
        // The audience is the service's name: an assertion the gateway made for another backend is refused here.
        identityVerifier: createIdentityVerifier({ publicKeys, audience: module.name, clock }),
        problemBaseUrl: config.problemBaseUrl,
        maxBodyBytes: config.maxBodyBytes,
        validateResponses: false,
      });
      const server = await startServer(app, { host: config.host, port: config.ports[module.name] });
      servers.push(server);
      services.push({
        name: module.name,
        title: module.title,
        url: `${server.baseUrl}${module.basePath}`,
        demoUrl: `${server.baseUrl}${module.basePath}${module.demoPath}`,
        store: database.describe,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { services, demo, stop };
}
