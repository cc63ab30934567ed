// Runs one operation over and over for a fixed time and reports throughput and per-operation latency. Every
// operation is timed on its own (process.hrtime, tens of nanoseconds, the same overhead for every scenario, so
// ratios stay fair); a warm-up first lets the JIT and the engines' caches settle. Synchronous operations are not
// awaited, so the baseline carries no promise overhead that the real path would not have.
export interface Measurement {
  readonly label: string;
  readonly ops: number;
  /** Operations run before measuring, to warm up (counted apart, e.g. for statements per operation). */
  readonly warmUpOps: number;
  readonly opsPerSecond: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

export interface MeasureOptions {
  seconds: number;
  /** Operations kept in flight at once (1: one after another). */
  concurrency?: number;
  signal: AbortSignal;
}

export async function measure(
  label: string,
  op: () => unknown,
  options: MeasureOptions,
): Promise<Measurement> {
  const concurrency = options.concurrency ?? 1;
  const warmUp = await run(op, Math.min(1, options.seconds / 5), concurrency, options.signal);
  const { latenciesNs, elapsedNs } = await run(op, options.seconds, concurrency, options.signal);
  const sorted = Float64Array.from(latenciesNs).sort();
  return {
    label,
    ops: sorted.length,
    warmUpOps: warmUp.latenciesNs.length,
    opsPerSecond: sorted.length / (elapsedNs / 1e9),
    p50Us: percentile(sorted, 0.5) / 1e3,
    p99Us: percentile(sorted, 0.99) / 1e3,
  };
}

async function run(op: () => unknown, seconds: number, concurrency: number, signal: AbortSignal) {
  const latenciesNs: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  // Every 1,024 operations all workers pause together, outside the timed region, for one turn of the event loop.
  // Operations that never wait on I/O (the baseline, a cached key, better-sqlite3's synchronous queries) would
  // otherwise run as one endless chain of microtasks: Ctrl-C would not be handled until the end. All of them, not
  // each worker on its own: a worker parked alone would never be resumed while the others keep the chain going.
  let done = 0;
  let pause: Promise<void> | undefined;
  const worker = async () => {
    for (;;) {
      if (pause) await pause;
      signal.throwIfAborted();
      const before = process.hrtime.bigint();
      if (before >= deadline) return;
      const result = op();
      if (result instanceof Promise) await result;
      latenciesNs.push(Number(process.hrtime.bigint() - before));
      if ((++done & 1023) === 0 && !pause) {
        pause = new Promise((resume) =>
          setImmediate(() => {
            pause = undefined;
            resume();
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latenciesNs, elapsedNs: Number(process.hrtime.bigint() - started) };
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
