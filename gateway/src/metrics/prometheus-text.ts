// A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on any line a scraper would
// reject (a sample of an undeclared family, a bad label escape, a value that is not a float), so a test that
// renders and parses proves the scrape is well formed.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)/y;
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheusText(text: string): ParsedExposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  for (const [i, line] of lines.slice(0, -1).entries()) {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${line}`);
    };
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) continue;
      if (!NAME.test(m[2]!)) fail('bad metric name');
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3]!)) fail('bad type');
        if (types.has(m[2]!)) fail('family declared twice');
        types.set(m[2]!, m[3]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (!m) return fail('not a sample');
    const [, name, labelText = '', valueText] = m;
    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const start = LABEL.lastIndex;
      const l = LABEL.exec(labelText);
      if (!l || l.index !== start) fail('bad label');
      if (l![1]! in labels) fail('label repeated');
      labels[l![1]!] = l![2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = parseFloatValue(valueText!) ?? fail('value is not a float');
    const family = [...types.keys()].find(
      (f) => name === f || (SUFFIXES[types.get(f)!] ?? []).some((s) => name === `${f}${s}`),
    );
    if (!family) fail('sample of an undeclared family');
    samples.push({ name: name!, labels, value });
  }
  return { types, samples };
}

/** As Go's strconv.ParseFloat, which Prometheus uses: decimal, or Inf/Infinity/NaN in any case (prom-client writes
 * `Nan`). */
function parseFloatValue(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  return undefined;
}

/** The value of the one sample with this name and exactly these labels; undefined when absent. */
export function sampleValue(
  parsed: ParsedExposition,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const found = parsed.samples.filter(
    (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted,
  );
  if (found.length > 1) throw new Error(`${name} ${wanted} appears ${found.length} times`);
  return found[0]?.value;
}
