// Time-series charts drawn as SVG by React: stacked bars for counts (requests, errors) and lines for latency.
// No chart library: two shapes do not justify 200 kB, and SVG needs nothing the CSP forbids. Every chart has a
// text summary (aria-label) and the same numbers as a table behind a disclosure, for screen readers.
import { formatCount } from '../lib/format';
import { segments } from '../lib/usage-series';

export interface Series {
  name: string;
  /** null: nothing to measure in that bucket (a gap in a line, not a zero). */
  values: ReadonlyArray<number | null>;
  /** A class in styles.css: series-1 … series-4. */
  tone: string;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

/** 1, 2 or 5 × 10^n at or above `max`, so gridlines fall on round numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

export function TimeChart({
  title,
  labels,
  series,
  kind,
  unit = '',
}: {
  title: string;
  labels: readonly string[];
  series: readonly Series[];
  kind: 'bars' | 'lines';
  unit?: string;
}) {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(labels.length, 1);
  const totals = labels.map((_, i) =>
    kind === 'bars'
      ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  // Counts are whole: a scale of at least 4 keeps the gridlines on integers.
  const top = niceMax(Math.max(kind === 'bars' ? 4 : 0, ...totals));
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const slot = innerW / n;
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  // Five intervals: a top of 1, 2 or 5 × 10^n divides into round steps (0.2, 0.4 or 1 × 10^n).
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => f * top);
  const labelEvery = Math.ceil(n / 8);
  const summary = `${title}: ${series
    .map((s) => {
      const values = s.values.map((v) => v ?? 0);
      const figure = kind === 'bars' ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values);
      return `${s.name} ${formatCount(figure)}${kind === 'lines' ? ` ${unit} at most` : ''}`;
    })
    .join(', ')}`;
  return (
    <figure className="chart">
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="legend">
          {series.map((s) => (
            <span key={s.name} className="legend-item">
              <span className={`swatch ${s.tone}`} aria-hidden="true" />
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {grid.map((g) => (
          <g key={g}>
            <line className="gridline" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(g)} y2={y(g)} />
            <text className="axis" x={PAD.left - 6} y={y(g) + 4} textAnchor="end">
              {formatCount(g)}
              {unit && g === top ? ` ${unit}` : ''}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % labelEvery === 0 ? (
            <text key={label} className="axis" x={x(i)} y={HEIGHT - 8} textAnchor="middle">
              {label}
            </text>
          ) : null,
        )}
        {kind === 'bars'
          ? labels.map((label, i) => {
              let base = 0;
              const barW = Math.max(2, Math.min(28, slot * 0.7));
              return (
                <g key={label}>
                  {series.map((s) => {
                    const v = s.values[i] ?? 0;
                    const rect = (
                      <rect
                        key={s.name}
                        className={s.tone}
                        x={x(i) - barW / 2}
                        y={y(base + v)}
                        width={barW}
                        height={Math.max(0, y(base) - y(base + v))}
                      >
                        <title>{`${label} · ${s.name}: ${formatCount(v)}`}</title>
                      </rect>
                    );
                    base += v;
                    return rect;
                  })}
                </g>
              );
            })
          : series.map((s) => (
              <g key={s.name} className={s.tone}>
                {segments(s.values).map((segment) => (
                  <polyline
                    key={segment[0]}
                    className="line"
                    points={segment.map((i) => `${x(i)},${y(s.values[i]!)}`).join(' ')}
                    fill="none"
                  />
                ))}
                {s.values.map((v, i) =>
                  v === null ? null : (
                    <circle key={i} className="dot" cx={x(i)} cy={y(v)} r={3}>
                      <title>{`${labels[i]} · ${s.name}: ${formatCount(v)} ${unit}`}</title>
                    </circle>
                  ),
                )}
              </g>
            ))}
      </svg>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Time</th>
              {series.map((s) => (
                <th key={s.name} scope="col" className="num">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.name} className="num">
                    {s.values[i] === null ? '—' : formatCount(s.values[i] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
