// How the benchmark prints: numbers with thousands separators, and the results as one table whose last columns
// compare each scenario with the baseline measured in the same run and count the store statements it issued.
import type { Measurement } from './measure';

export interface Row {
  readonly measurement: Measurement;
  /** Statements sent to the store per verification (undefined: the scenario does not touch it). */
  readonly statementsPerOp: number | undefined;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

/** `baseline` is the first row; "vs baseline" is its throughput over the row's, i.e. the cost of one operation in baseline operations. */
export function resultsTable(rows: readonly Row[]): string {
  const baseline = rows[0]!.measurement;
  const header = ['scenario', 'ops/s', 'p50 µs', 'p99 µs', 'vs baseline', 'statements/op'];
  const body = rows.map(({ measurement: m, statementsPerOp }) => [
    m.label,
    count(m.opsPerSecond),
    m.p50Us.toFixed(1),
    m.p99Us.toFixed(1),
    `${(baseline.opsPerSecond / m.opsPerSecond).toFixed(1)}×`,
    statementsPerOp === undefined ? '-' : statementsPerOp.toFixed(statementsPerOp < 0.01 ? 6 : 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
