// One load run with autocannon over keep-alive connections. Latencies are taken from every response at full precision — autocannon's own histogram keeps whole
// milliseconds, too coarse for a p50 of 2 ms — and this process's CPU use is reported, so a saturated load generator
// shows in the output.
/* eslint-disable @typescript-eslint/no-require-imports -- autocannon ships no types; the part used is typed here */
const autocannon = require('autocannon') as (options: AutocannonOptions) => AutocannonRun;
/* eslint-enable @typescript-eslint/no-require-imports */

interface AutocannonOptions {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  requests: { total: number };
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  /** Responses by status code, e.g. { '200': 51234 }. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  /** CPU time this process used, as a share of one core over the run (autocannon runs on our event loop). */
  loadGeneratorCpu: number;
  durationSeconds: number;
}

export async function runLoad(
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const instance = autocannon({ ...request, connections, duration: seconds });
  instance.on('response', (_client, _status, _bytes, ms) => {
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = ms;
  });
  const result = await instance;
  const cpu = process.cpuUsage(cpuBefore);
  const wallUs = Number(process.hrtime.bigint() - wallBefore) / 1000;
  const sorted = latencies.subarray(0, count).sort();
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
  );
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    responses: result.requests.total,
    statuses,
    errors: result.errors + result.timeouts,
    loadGeneratorCpu: (cpu.user + cpu.system) / wallUs,
    durationSeconds: result.duration,
  };
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
