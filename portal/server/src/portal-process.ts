// Runs the portal server in this process: resolves the secrets, opens and migrates the control-plane store (SQLite
// under PORTICO_DATA_DIR, or the `keys` schema of DATABASE_URL), connects Redis when REDIS_URL is set (shared login
// limits, invalidation to every gateway), listens, sweeps ended sessions, and stops cleanly.
import path from 'node:path';
import type { Clock } from '../../../internal/src/clock';
import { systemClock } from '../../../internal/src/clock';
import type { Config } from '../../../internal/src/config';
import { createIdGenerator } from '../../../internal/src/ids';
import type { Logger } from '../../../internal/src/logger';
import { connectRedis, type Redis } from '../../../internal/src/redis';
import { startServer } from '../../../internal/src/http/start-server';
import { createPepperRing } from '../../../keys/src/domain/key-digest';
import { createSecretBoxRing } from '../../../keys/src/domain/secret-box';
import { openControlPlane, type ControlPlane } from '../../../keys/src/runtime/control-plane';
import { touchPersonalTokens } from '../../../keys/src/store/personal-tokens';
import { createLastUsedRecorder } from '../../../keys/src/verify/last-used-recorder';
import { deleteExpiredSessions } from '../../../keys/src/store/sessions';
import { LOGIN_RULES, memoryAttemptLimiter, redisAttemptLimiter } from './auth/attempt-limiter';
import type { LoginLimiters, PortalDeps } from './deps';
import { outboxMailer } from './mail/mailer';
import { createPortalApp } from './portal-app';
import { DEFAULT_WEB_ROOT } from './web/build-web';

const SESSION_SWEEP_MS = 10 * 60 * 1000;

export interface RunningPortal {
  /** Where the portal listens, e.g. http://127.0.0.1:3000: the UI at /, the docs at /docs. */
  url: string;
  /** The management API's base URL, e.g. http://127.0.0.1:3000/api/v1. */
  apiUrl: string;
  store: string;
  /** Where generated secrets (operator token included) are kept on the embedded defaults. */
  secretsFile: string | undefined;
  stop(): Promise<void>;
}

export async function startPortal(options: {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** The control plane to use (npm start shares one with the gateway); by default the portal opens its own. */
  controlPlane?: ControlPlane;
  /** The built UI (default portal/web/dist, which `npm start` builds first). */
  webRoot?: string;
}): Promise<RunningPortal> {
  const { config } = options;
  const logger = options.logger.child({ service: 'portal' });
  const clock = options.clock ?? systemClock;
  const closers: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const controlPlane = options.controlPlane ?? (await openControlPlane(config, logger));
    if (!options.controlPlane) closers.push(() => controlPlane.close());
    const { database, invalidations, secrets } = controlPlane;

    let redis: Redis | undefined;
    if (config.redisUrl) {
      redis = await connectRedis({ url: config.redisUrl, name: 'portico-portal' });
      const connection = redis;
      closers.push(async () => connection.disconnect());
    }

    const personalTokenUse = createLastUsedRecorder({
      touch: (ids, usedAt) => touchPersonalTokens({ db: database.db }, ids, usedAt),
      clock,
      logger,
      flushIntervalMs: 5_000,
      maxBatch: 500,
    });
    closers.push(() => personalTokenUse.close());

    const deps: PortalDeps = {
      db: database.db,
      clock,
      newId: createIdGenerator(() => clock.now().getTime()),
      logger,
      peppers: createPepperRing(secrets.keyPeppers),
      secretBox: createSecretBoxRing(secrets.secretKeys),
      operatorToken: secrets.operatorToken,
      invalidations,
      personalTokenUse,
      mailer: outboxMailer({
        dir: path.join(config.dataDir, 'outbox'),
        from: 'Portico <portal@portico.invalid>',
        clock,
      }),
      publicUrl: config.portalPublicUrl,
      loginLimiters: loginLimiters(redis, config.redisPrefix, clock, logger),
      trustedOrigins: config.portalTrustedOrigins,
      secureCookies: config.secureCookies,
      trustProxy: config.trustProxy,
      problemBaseUrl: config.problemBaseUrl,
      maxBodyBytes: config.maxBodyBytes,
      validateResponses: false,
    };
    const app = createPortalApp(deps, {
      webRoot: options.webRoot ?? DEFAULT_WEB_ROOT,
      gatewayPublicUrl: config.gateway.publicUrl,
    });
    const server = await startServer(app, {
      host: config.host,
      port: config.ports.portal,
    });
    closers.push(() => server.close());

    const sweep = setInterval(() => {
      deleteExpiredSessions(deps).catch((error: unknown) =>
        logger.warn({ err: error }, 'sweeping ended sessions failed'),
      );
    }, SESSION_SWEEP_MS);
    sweep.unref();
    closers.push(async () => clearInterval(sweep));

    return {
      url: server.baseUrl,
      apiUrl: `${server.baseUrl}/api/v1`,
      store: database.describe,
      secretsFile: secrets.generatedFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function loginLimiters(
  redis: Redis | undefined,
  prefix: string,
  clock: Clock,
  logger: Logger,
): LoginLimiters {
  if (!redis) {
    return {
      address: memoryAttemptLimiter(LOGIN_RULES.address, clock),
      client: memoryAttemptLimiter(LOGIN_RULES.client, clock),
    };
  }
  const shared = (name: 'address' | 'client') =>
    redisAttemptLimiter({ redis, prefix, name: `login-${name}`, rule: LOGIN_RULES[name], clock, logger });
  return { address: shared('address'), client: shared('client') };
}
