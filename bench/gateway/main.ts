// bench/gateway (`npm run bench:gateway`): what the gateway costs in front of a real backend. In one run, with
// autocannon: the CRM backend called directly (with an identity assertion signed by the same keys), the gateway on
// embedded defaults in front of it (key auth, limits in memory, validation, proxy, metering), and the same with
// limits and nonces in Redis when REDIS_URL is set. Prints req/s, p50, p99 and CPU per request, and the ratios of each
// gateway to the direct calls measured in the same run.
//
// A benchmark entry point, so unlike product code it reads process.env: SECONDS (per measurement, default 10),
// WARMUP (seconds, default 3), CONNECTIONS (default 50), REDIS_URL (adds the Redis gateway when set).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../internal/src/clock';
import { loadConfig } from '../../internal/src/config';
import { IDENTITY_ASSERTION_HEADER } from '../../internal/src/identity/identity-assertion';
import { createIdentitySigner } from '../../internal/src/identity/identity-signer';
import { createLogger } from '../../internal/src/logger';
import { deleteRedisKeys } from '../../internal/src/testing/test-redis';
import { resolveIdentityKeys } from '../../internal/src/secrets';
import { createBenchCaller } from './bench-caller';
import { pinningUnavailable, pinToCpus, startChild, type BenchChild } from './bench-child';
import { runLoad, type LoadRequest, type LoadResult } from './load';
import { CREATE_CUSTOMER_BODY } from './requests';

interface Options {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  redisUrl: string | undefined;
}

/** A way to reach the CRM: directly (with an identity assertion) or through one of the gateways. */
interface Target {
  name: string;
  origin: string;
  /** The process whose CPU time is the gateway's (none for direct calls). */
  gateway: BenchChild | undefined;
  headers: () => Record<string, string>;
}

interface Measurement {
  target: Target;
  scenario: Scenario;
  load: LoadResult;
  /** CPU µs per response, and share of one core, of the gateway and the backend during the measured run. */
  gatewayUsPerRequest: number | undefined;
  gatewayCore: number | undefined;
  backendUsPerRequest: number;
  backendCore: number;
}

type Scenario = 'GET' | 'POST';

const cleanups: Array<() => Promise<unknown> | unknown> = [];

async function main(): Promise<void> {
  const options: Options = {
    seconds: positive('SECONDS', 10),
    warmupSeconds: positive('WARMUP', 3, { zero: true }),
    connections: positive('CONNECTIONS', 50),
    redisUrl: process.env.REDIS_URL || undefined,
  };
  if (options.seconds > 240)
    throw new Error('SECONDS must be at most 240 (direct calls carry one assertion)');
  const cpus = os.cpus();
  const noPinning = pinningUnavailable(cpus.length);
  // The gateway gets a core of its own; the backend and the load generator share the other one in every
  // measurement, direct or not, so the gateway is the only thing that differs between them.
  const placement = noPinning ? undefined : { gateway: '0', rest: '1' };
  console.log(
    `bench/gateway: ${options.seconds} s per measurement after ${options.warmupSeconds} s of warm-up, ` +
      `${options.connections} connections (autocannon); Node ${process.version}, ` +
      `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}`,
  );
  console.log(
    placement
      ? 'CPUs: gateway on CPU 0; CRM backend and load generator (this process) on CPU 1 (taskset).'
      : `CPUs: not pinned (${noPinning}); numbers are noisier.`,
  );
  if (placement) pinToCpus(process.pid, placement.rest);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-gw-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // From scratch, not process.env: a DATABASE_URL or REDIS_URL in the shell must not move a child elsewhere.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORTICO_DATA_DIR: dataDir,
    PORTICO_SEED_DEMO: 'false',
    PORTICO_LOG_LEVEL: 'info',
  };
  const config = loadConfig(env);
  const caller = await createBenchCaller(config, createLogger({ level: 'warn', name: 'bench' }));
  const [identityKey] = resolveIdentityKeys(config);

  const start = async (name: string, script: string, extra: NodeJS.ProcessEnv, cpus: string | undefined) => {
    const child = await startChild({
      name,
      script: path.join(__dirname, script),
      env: { ...env, ...extra },
      logFile: path.join(dataDir, `${name}.log`),
      cpus,
    });
    cleanups.push(() => child.stop());
    return child;
  };
  const backend = await start('backend', 'backend-process.ts', { PORTICO_CRM_PORT: '0' }, placement?.rest);
  const gatewayEnv = { PORTICO_BENCH_DATA_DIR: dataDir, PORT: '0', UPSTREAM_URL: backend.url };
  const gateways = [await start('gateway', 'peer-gateway.ts', gatewayEnv, placement?.gateway)];
  if (options.redisUrl) {
    const prefix = `portico-bench:${randomBytes(4).toString('hex')}`;
    cleanups.push(() => deleteRedisKeys(options.redisUrl!, prefix));
    gateways.push(
      await start(
        'gateway-redis',
        'peer-gateway.ts',
        { ...gatewayEnv, REDIS_URL: options.redisUrl, PORTICO_REDIS_PREFIX: prefix },
        placement?.gateway,
      ),
    );
  }
  console.log(
    'Logs: each process writes its pino lines (the gateway one access line per request) to a file in a temporary ' +
      'directory, not to the terminal; removed at the end.',
  );

  // One assertion per measurement, valid for all of it, as the gateway would send for this caller.
  const signDirect = createIdentitySigner({
    privateKey: identityKey!.privateKey,
    kid: identityKey!.kid,
    clock: systemClock,
    lifetimeSeconds: Math.ceil(options.seconds) + 60,
    reuseSeconds: 0,
  });
  const bearer = { authorization: `Bearer ${caller.apiKey}` };
  const targets: Target[] = [
    {
      name: 'direct',
      origin: backend.url,
      gateway: undefined,
      headers: () => ({ [IDENTITY_ASSERTION_HEADER]: signDirect(caller, 'crm') }),
    },
    ...gateways.map((g) => ({
      name: g.name === 'gateway' ? 'gateway (limits in memory)' : 'gateway (limits in Redis)',
      origin: g.url,
      gateway: g,
      headers: () => bearer,
    })),
  ];

  const customerId = await createCustomer(targets[0]!);
  for (const target of targets) await checkTarget(target, customerId);
  if (!options.redisUrl) {
    console.log(
      'gateway (limits in Redis): SKIPPED, REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379).',
    );
  }
  console.log('');

  const requestFor = (target: Target, scenario: Scenario): LoadRequest =>
    scenario === 'GET'
      ? { method: 'GET', url: `${target.origin}/crm/v1/customers/${customerId}`, headers: target.headers() }
      : {
          method: 'POST',
          url: `${target.origin}/crm/v1/customers`,
          headers: { ...target.headers(), 'content-type': 'application/json' },
          body: JSON.stringify(CREATE_CUSTOMER_BODY),
        };

  const measurements: Measurement[] = [];
  for (const scenario of ['GET', 'POST'] as const) {
    for (const target of targets) {
      if (options.warmupSeconds > 0) {
        await runLoad(requestFor(target, scenario), options.connections, options.warmupSeconds);
      }
      const before = await cpuOf(backend, target.gateway);
      const load = await runLoad(requestFor(target, scenario), options.connections, options.seconds);
      const after = await cpuOf(backend, target.gateway);
      const wallUs = load.durationSeconds * 1e6;
      const measurement: Measurement = {
        target,
        scenario,
        load,
        gatewayUsPerRequest: target.gateway ? (after.gateway - before.gateway) / load.responses : undefined,
        gatewayCore: target.gateway ? (after.gateway - before.gateway) / wallUs : undefined,
        backendUsPerRequest: (after.backend - before.backend) / load.responses,
        backendCore: (after.backend - before.backend) / wallUs,
      };
      measurements.push(measurement);
      console.log(progressLine(measurement));
    }
  }

  console.log('');
  printTable(measurements);
  console.log('');
  printRatios(measurements);
  console.log('');
  for (const gateway of gateways) {
    console.log(`${gateway.name} log: ${countLines(gateway.logFile).toLocaleString('en')} lines`);
  }
  const refused = measurements.filter((m) => nonSuccess(m.load) > 0);
  if (refused.length > 0) {
    console.log(
      `WARNING: non-2xx answers or errors in ${refused.map((m) => `${m.target.name} ${m.scenario}`).join(', ')}; ` +
        'those numbers are not comparable.',
    );
    process.exitCode = 1;
  }
}

async function createCustomer(direct: Target): Promise<string> {
  const response = await fetch(`${direct.origin}/crm/v1/customers`, {
    method: 'POST',
    headers: { ...direct.headers(), 'content-type': 'application/json' },
    body: JSON.stringify(CREATE_CUSTOMER_BODY),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) {
    throw new Error(`creating the customer failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.id;
}

/** One GET and one POST must succeed before anything is measured: a fast 4xx is no result. */
async function checkTarget(target: Target, customerId: string): Promise<void> {
  const get = await fetch(`${target.origin}/crm/v1/customers/${customerId}`, { headers: target.headers() });
  const post = await fetch(`${target.origin}/crm/v1/customers`, {
    method: 'POST',
    headers: { ...target.headers(), 'content-type': 'application/json' },
    body: JSON.stringify(CREATE_CUSTOMER_BODY),
  });
  if (get.status !== 200 || post.status !== 201) {
    throw new Error(
      `${target.name}: GET answered ${get.status} ${await get.text()}, POST ${post.status} ${await post.text()}`,
    );
  }
}

async function cpuOf(
  backend: BenchChild,
  gateway: BenchChild | undefined,
): Promise<{ backend: number; gateway: number }> {
  const total = (u: NodeJS.CpuUsage) => u.user + u.system;
  return {
    backend: total(await backend.cpuUsage()),
    gateway: gateway ? total(await gateway.cpuUsage()) : 0,
  };
}

function nonSuccess(load: LoadResult): number {
  const failed = Object.entries(load.statuses).filter(([code]) => !code.startsWith('2'));
  return failed.reduce((sum, [, count]) => sum + count, load.errors);
}

function progressLine(m: Measurement): string {
  return (
    `${m.scenario.padEnd(4)} ${m.target.name.padEnd(27)} ${fixed(m.load.requestsPerSecond, 0)} req/s, ` +
    `p50 ${fixed(m.load.p50Ms, 2)} ms, p99 ${fixed(m.load.p99Ms, 2)} ms, statuses ${JSON.stringify(m.load.statuses)}` +
    (m.load.errors > 0 ? `, ${m.load.errors} errors` : '')
  );
}

function printTable(measurements: Measurement[]): void {
  const header = [
    'scenario',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'gateway CPU µs/req',
    'gateway core %',
    'backend CPU µs/req',
    'backend core %',
    'load gen core %',
  ];
  const rows = measurements.map((m) => [
    m.scenario,
    m.target.name,
    fixed(m.load.requestsPerSecond, 0),
    fixed(m.load.p50Ms, 2),
    fixed(m.load.p99Ms, 2),
    String(nonSuccess(m.load)),
    m.gatewayUsPerRequest === undefined ? '—' : fixed(m.gatewayUsPerRequest, 0),
    m.gatewayCore === undefined ? '—' : fixed(m.gatewayCore * 100, 0),
    fixed(m.backendUsPerRequest, 0),
    fixed(m.backendCore * 100, 0),
    fixed(m.load.loadGeneratorCpu * 100, 0),
  ]);
  console.log(markdownTable(header, rows));
}

function printRatios(measurements: Measurement[]): void {
  for (const scenario of ['GET', 'POST'] as const) {
    const direct = measurements.find((m) => m.scenario === scenario && !m.target.gateway);
    if (!direct) continue;
    for (const m of measurements.filter((x) => x.scenario === scenario && x.target.gateway)) {
      console.log(
        `${scenario} ${m.target.name} / direct: req/s ×${fixed(m.load.requestsPerSecond / direct.load.requestsPerSecond, 2)}, ` +
          `p50 ×${fixed(m.load.p50Ms / direct.load.p50Ms, 2)} (${signed(m.load.p50Ms - direct.load.p50Ms, 2)} ms), ` +
          `p99 ×${fixed(m.load.p99Ms / direct.load.p99Ms, 2)}; ` +
          `gateway CPU per request ×${fixed(m.gatewayUsPerRequest! / direct.backendUsPerRequest, 2)} the backend's`,
      );
    }
  }
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function signed(value: number, digits: number): string {
  return `${value >= 0 ? '+' : ''}${fixed(value, digits)}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function countLines(file: string): number {
  const chunk = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  let lines = 0;
  try {
    for (let read = fs.readSync(fd, chunk); read > 0; read = fs.readSync(fd, chunk)) {
      for (let i = 0; i < read; i++) if (chunk[i] === 0x0a) lines++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}

function positive(name: string, fallback: number, { zero = false } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    throw new Error(`${name} must be a ${zero ? 'non-negative' : 'positive'} number, not '${raw}'`);
  }
  return value;
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

// Ctrl-C still stops the children and removes the temporary directory and Redis keys.
process.on('SIGINT', () => {
  console.error('\nInterrupted; stopping the processes this benchmark started.');
  void cleanUp().finally(() => process.exit(130));
});

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
