// `npm run gateway`: the gateway alone, for deployments that run backends and the portal elsewhere. With
// PORTICO_GATEWAY_WORKERS=N > 1 a Node cluster primary forks N workers sharing the port; they share limits, nonces,
// idempotency keys and cache invalidations through Redis, which is then required.
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from '../../internal/src/config';
import { createLogger, type Logger } from '../../internal/src/logger';
import { startGateway } from './gateway-process';

const SHUTDOWN_GRACE_MS = 30_000;
/** A worker that dies sooner than this after its start is not restarted in a loop faster than this. */
const RESTART_BACKOFF_MS = 1_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'portico-gateway' });
  if (config.gateway.workers > 1 && !config.redisUrl) {
    throw new ConfigError(
      'PORTICO_GATEWAY_WORKERS > 1 needs REDIS_URL: rate limits, quotas, signature nonces and Idempotency-Keys ' +
        'must be shared by the workers to hold.',
    );
  }
  if (config.gateway.workers > 1 && cluster.isPrimary) {
    runPrimary(config, logger);
    return;
  }
  const gateway = await startGateway({ config, logger, accessLogName: 'portico-gateway' });
  if (cluster.isPrimary) process.stdout.write(`Portico gateway listening on ${gateway.url}\n`);
  onSignals(logger, () => gateway.stop({ graceMs: SHUTDOWN_GRACE_MS - 1_000 }));
  if (cluster.isWorker) process.send?.({ ready: gateway.url });
}

function runPrimary(config: Config, logger: Logger): void {
  let stopping = false;
  let ready = 0;
  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    worker.on('message', (message: { ready?: string }) => {
      if (message.ready && ++ready === config.gateway.workers) {
        process.stdout.write(`Portico gateway listening on ${message.ready} (${ready} workers)\n`);
      }
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting another');
      const wait = Math.max(0, RESTART_BACKOFF_MS - (Date.now() - startedAt));
      setTimeout(fork, wait);
    });
  };
  for (let i = 0; i < config.gateway.workers; i++) fork();
  onSignals(logger, async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  });
}

function onSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'gateway shutting down: draining in-flight requests');
    setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'gateway shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nThe Portico gateway could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  if (!(error instanceof ConfigError) && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
