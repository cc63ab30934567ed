// The gateway as a foreground process for benchmarks: for ../shared/bench/peers.sh (GATEWAY_CMD) and for
// bench/gateway/main.ts, which forks it. It reads PORT and UPSTREAM_URL, points all three APIs' upstreams at
// UPSTREAM_URL, and serves the partner and key that prepare-peers.ts (or main.ts) put in PORTICO_BENCH_DATA_DIR.
//
// A benchmark entry point, so unlike product code it reads process.env: PORT (default 9060), UPSTREAM_URL
// (required), PORTICO_BENCH_DATA_DIR (required), REDIS_URL (limits, nonces and invalidations in Redis when set),
// PORTICO_LOG_LEVEL (default info: one access line per request, to stdout — peers.sh sends it to a file),
// PORTICO_BENCH_PROFILE_DIR (SIGUSR2 starts and stops a CPU profile written there; profile-on-signal.ts).
import { loadConfig } from '../../internal/src/config';
import { createLogger } from '../../internal/src/logger';
import { startGateway } from '../../gateway/src/gateway-process';
import { serveParent } from './bench-child';
import { profileOnSignal } from './profile-on-signal';

async function main(): Promise<void> {
  const upstream = required('UPSTREAM_URL');
  const config = loadConfig({
    ...process.env,
    PORTICO_DATA_DIR: required('PORTICO_BENCH_DATA_DIR'),
    // The bench partner lives in the SQLite control plane of the data dir, whatever the shell exports.
    DATABASE_URL: '',
    PORTICO_CRM_URL: upstream,
    PORTICO_ORDERS_URL: upstream,
    PORTICO_ENTITLEMENTS_URL: upstream,
    PORTICO_SEED_DEMO: 'false',
    // All load comes from one loopback address: a per-address limit that counts every request (its cost stays in
    // the measurement) but never refuses one, as traffic from many addresses would see.
    PORTICO_IP_RATE_LIMIT: '1000000000',
  });
  // As `npm run gateway` logs: one access line per request.
  const logger = createLogger({ level: config.logLevel, name: 'portico' });
  const gateway = await startGateway({ config, logger, port: Number(process.env.PORT ?? 9060) });
  logger.info(
    { url: gateway.url, upstream, limits: config.redisUrl ? 'redis' : 'memory', pid: process.pid },
    'bench gateway ready',
  );
  const profileDir = process.env.PORTICO_BENCH_PROFILE_DIR;
  if (profileDir) profileOnSignal(profileDir, (file) => logger.info({ file }, 'CPU profile written'));
  serveParent(gateway.url, () => gateway.stop({ graceMs: 2_000 }));
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (see bench/gateway/README.md)`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
