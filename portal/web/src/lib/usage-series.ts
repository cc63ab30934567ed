// Turns usage report rows into evenly spaced chart series: every hour or day of the range appears, with zeros
// where nothing was called, so a quiet night looks quiet instead of being skipped.
export type Bucket = 'hour' | 'day';

export interface UsageRowLike {
  hour?: string | undefined;
  date?: string | undefined;
  status?: number | undefined;
  requests: number;
  p50LatencyMs?: number | undefined;
  p95LatencyMs?: number | undefined;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The bucket starts (ISO, UTC) covering [fromMs, toMs]. */
export function bucketStarts(bucket: Bucket, fromMs: number, toMs: number): string[] {
  const step = bucket === 'hour' ? HOUR_MS : DAY_MS;
  const first = Math.floor(fromMs / step) * step;
  const out: string[] = [];
  for (let t = first; t <= toMs; t += step) out.push(new Date(t).toISOString());
  return out;
}

export function bucketOf(row: UsageRowLike, bucket: Bucket): string | undefined {
  if (bucket === 'hour') return row.hour ? new Date(row.hour).toISOString() : undefined;
  return row.date ? new Date(`${row.date}T00:00:00.000Z`).toISOString() : undefined;
}

export function bucketLabel(iso: string, bucket: Bucket): string {
  return bucket === 'hour' ? `${iso.slice(11, 13)}:00` : iso.slice(5, 10);
}

/** Requests per bucket split into successes (< 400), client errors (4xx) and server errors (5xx). */
export function statusSeries(rows: readonly UsageRowLike[], bucket: Bucket, starts: readonly string[]) {
  const index = new Map(starts.map((s, i) => [s, i]));
  const ok = starts.map(() => 0);
  const client = starts.map(() => 0);
  const server = starts.map(() => 0);
  for (const row of rows) {
    const at = index.get(bucketOf(row, bucket) ?? '');
    if (at === undefined) continue;
    const status = row.status ?? 200;
    const target = status >= 500 ? server : status >= 400 ? client : ok;
    target[at]! += row.requests;
  }
  return { ok, client, server };
}

export function latencySeries(rows: readonly UsageRowLike[], bucket: Bucket, starts: readonly string[]) {
  const index = new Map(starts.map((s, i) => [s, i]));
  // null where nothing was called: no latency was measured, which is not a latency of zero.
  const p50: Array<number | null> = starts.map(() => null);
  const p95: Array<number | null> = starts.map(() => null);
  for (const row of rows) {
    const at = index.get(bucketOf(row, bucket) ?? '');
    if (at === undefined) continue;
    p50[at] = row.p50LatencyMs ?? 0;
    p95[at] = row.p95LatencyMs ?? 0;
  }
  return { p50, p95 };
}

/** Runs of consecutive indexes with a value: each is drawn as one line, so a quiet hour shows as a gap. */
export function segments(values: ReadonlyArray<number | null>): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length) runs.push(run);
  return runs;
}
