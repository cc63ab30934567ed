// Summarizes a V8 CPU profile of the gateway (profile-on-signal.ts, or `node --cpu-prof`): self time grouped by concern
// (HTTP parsing, undici, validation, auth, limits, logging, metrics, …), the hottest functions, and the time spent
// under each function of ours (the innermost frame of gateway/, keys/ or internal/ on the stack), with file:line.
//
//   node --import tsx bench/gateway/profile-summary.ts <file.cpuprofile> [top=15]
//
// Under tsx the profile's positions are in transpiled, whitespace-minified code; they are mapped back to the
// TypeScript source through the source maps in tsx's cache (os.tmpdir()/tsx-<uid>), newest entry per file.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPO = path.resolve(__dirname, '../..');
const OUR_CODE = /\/(gateway|keys|internal)\/src\//;

/**
 * First match wins, tested against `url functionName` of a frame. A sample belongs to the concern of its innermost
 * frame with a URL, except that a library owns the Node internals it calls (pino's fs writes are logging, undici's
 * socket writes are undici); Node internals called from our code keep their own concern (socket writes, parsing).
 */
const CONCERNS: Array<[string, RegExp]> = [
  ['profiler itself (inspector)', /node:inspector|profile-on-signal/],
  ['tsx keepNames (__name per closure)', / __name$/],
  [
    'logging (pino)',
    /node_modules\/(pino|sonic-boom|@pinojs\/redact|fast-redact|pino-std-serializers|quick-format-unescaped|fast-safe-stringify)\/|internal\/src\/logger/,
  ],
  ['metrics (prom-client)', /node_modules\/prom-client\/|gateway\/src\/metrics\//],
  [
    'validation (eov, ajv)',
    /node_modules\/(express-openapi-validator|ajv|ajv-formats)\/|policies\/validate\//,
  ],
  ['undici (upstream client)', /node_modules\/undici\/|node:internal\/deps\/undici/],
  ['redis client (ioredis)', /node_modules\/(ioredis|redis-parser|denque|cluster-key-slot)\//],
  ['limits', /node_modules\/rate-limiter-flexible\/|policies\/limits\//],
  ['auth (key verification)', /policies\/authenticate\/|keys\/src\//],
  ['identity assertion', /internal\/src\/identity\//],
  ['metering', /policies\/meter\//],
  ['proxy (ours: headers, retries)', /policies\/proxy\/|gateway\/src\/forward\.ts|policies\/idempotency\//],
  ['gateway pipeline (app, stacks, routes, context)', /gateway\/src\//],
  ['other repo code', /\/work\/main\/(internal|keys|bin)\//],
  [
    'node:http (parse, write)',
    /node:_http_|node:http\b|_http_(server|common|incoming|outgoing)|node:internal\/http/,
  ],
  [
    'sockets, streams, timers',
    /node:(net|stream|internal\/streams|internal\/stream_base_commons|internal\/timers|timers|events|internal\/event_target|internal\/process\/task_queues|internal\/async_hooks|internal\/perf)/,
  ],
  ['other node internals', /^node:/],
  ['other libraries', /node_modules\//],
];

async function main(): Promise<void> {
  const [file, topArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const top = Number(topArg ?? 15);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const mapper = new SourceMapper();

  const selfUs = new Map<number, number>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + us);
  }

  const special = new Map<string, number>();
  const concerns = new Map<string, number>();
  const functions = new Map<string, { us: number; concern: string; frame: CallFrame }>();
  const ours = new Map<string, { us: number; frame: CallFrame }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)' || name === '(root)') {
      special.set(name, (special.get(name) ?? 0) + us);
      continue;
    }
    const concern = concernOf(node, (n) => byId.get(parent.get(n.id) ?? -1));
    concerns.set(concern, (concerns.get(concern) ?? 0) + us);
    const key = `${name || '(anonymous)'} ${node.callFrame.url}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
    const entry = functions.get(key) ?? { us: 0, concern, frame: node.callFrame };
    entry.us += us;
    functions.set(key, entry);

    let mine: ProfileNode | undefined = node;
    while (mine && !OUR_CODE.test(mine.callFrame.url)) mine = byId.get(parent.get(mine.id) ?? -1);
    const ourKey = mine
      ? `${mine.callFrame.functionName} ${mine.callFrame.url}:${mine.callFrame.lineNumber}:${mine.callFrame.columnNumber}`
      : '(no frame of ours: node:http / undici / timers callbacks)';
    const ourEntry = ours.get(ourKey) ?? { us: 0, frame: mine?.callFrame ?? node.callFrame };
    ourEntry.us += us;
    ours.set(ourKey, ourEntry);
  }

  const idleUs = special.get('(idle)') ?? 0;
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1)} %`;
  const ms = (us: number) => (us / 1000).toFixed(0);
  console.log(
    `# ${path.basename(file)}\n\n${(totalUs / 1e6).toFixed(1)} s sampled, ${((100 * idleUs) / totalUs).toFixed(1)} % idle; ` +
      `percentages below are of the ${(busyUs / 1e6).toFixed(1)} s busy.\n`,
  );
  const rows: string[][] = [
    ...[...concerns].map(([concern, us]) => [concern, ms(us), pct(us)]),
    [
      '(program): V8/libuv native, syscalls',
      ms(special.get('(program)') ?? 0),
      pct(special.get('(program)') ?? 0),
    ],
    [
      '(garbage collector)',
      ms(special.get('(garbage collector)') ?? 0),
      pct(special.get('(garbage collector)') ?? 0),
    ],
  ].sort((a, b) => Number(b[1]) - Number(a[1]));
  console.log('## Self time by concern\n');
  console.log(table(['concern', 'ms', 'share'], rows));

  console.log(`\n## Top ${top} functions by self time\n`);
  console.log(
    table(
      ['function', 'where', 'concern', 'ms', 'share'],
      [...functions.values()]
        .sort((a, b) => b.us - a.us)
        .slice(0, top)
        .map((f) => [
          f.frame.functionName || '(anonymous)',
          mapper.where(f.frame),
          f.concern,
          ms(f.us),
          pct(f.us),
        ]),
    ),
  );

  console.log(
    `\n## Where in our code the time is spent (innermost frame of ours, libraries below it included)\n`,
  );
  console.log(
    table(
      ['our function', 'where', 'ms', 'share'],
      [...ours.entries()]
        .sort((a, b) => b[1].us - a[1].us)
        .slice(0, top)
        .map(([key, o]) =>
          key.startsWith('(no frame')
            ? [key, '', ms(o.us), pct(o.us)]
            : [o.frame.functionName || '(anonymous)', mapper.where(o.frame), ms(o.us), pct(o.us)],
        ),
    ),
  );
}

function concernOf(leaf: ProfileNode, parentOf: (node: ProfileNode) => ProfileNode | undefined): string {
  let own: string | undefined;
  for (let node: ProfileNode | undefined = leaf; node; node = parentOf(node)) {
    const frame = node.callFrame;
    // A builtin (JSON.stringify, RegExp exec, a native binding) has no URL: it counts for the code that called it,
    // but __name (tsx's keepNames helper) is defined in every transpiled file and is a concern of its own.
    if (frame.url === '' && frame.functionName !== '__name') continue;
    const concern = concernOfFrame(frame);
    own ??= concern;
    if (/^node:/.test(frame.url) && !/node:inspector/.test(frame.url)) continue;
    return /node_modules\//.test(frame.url) || concern.startsWith('profiler') ? concern : own;
  }
  return own ?? 'native (no script)';
}

function concernOfFrame(frame: CallFrame): string {
  const subject = `${frame.url} ${frame.functionName}`;
  for (const [concern, pattern] of CONCERNS) if (pattern.test(subject)) return concern;
  return 'other';
}

/** Maps positions in tsx's transpiled files back to the TypeScript source. */
class SourceMapper {
  private readonly maps = new Map<string, SourceMap | null>();
  private cacheIndex: Map<string, string> | undefined;

  where(frame: CallFrame): string {
    const url = frame.url;
    if (!url.startsWith('file://')) return url || '(native)';
    const file = new URL(url).pathname;
    const relative = path.relative(REPO, file);
    const map = this.mapFor(file);
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalLine' in entry && typeof entry.originalLine === 'number') {
      return `${relative}:${entry.originalLine + 1}`;
    }
    return `${relative} (generated ${frame.lineNumber + 1}:${frame.columnNumber + 1})`;
  }

  private mapFor(file: string): SourceMap | null {
    if (!this.maps.has(file)) {
      const cached = this.index().get(file);
      let map: SourceMap | null = null;
      if (cached) {
        const entry = JSON.parse(fs.readFileSync(cached, 'utf8')) as { map?: object };
        if (entry.map) map = new SourceMap(entry.map as never);
      }
      this.maps.set(file, map);
    }
    return this.maps.get(file)!;
  }

  /** Source path → newest tsx cache entry for it. */
  private index(): Map<string, string> {
    if (this.cacheIndex) return this.cacheIndex;
    const dir = path.join(os.tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
    const newest = new Map<string, { file: string; mtimeMs: number }>();
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const cached = path.join(dir, name);
      const text = fs.readFileSync(cached, 'utf8');
      const match =
        /"sources":\["([^"]+)"\]/.exec(text.slice(-2_000)) ?? /"sources":\["([^"]+)"\]/.exec(text);
      if (!match) continue;
      const { mtimeMs } = fs.statSync(cached);
      const source = match[1]!;
      if ((newest.get(source)?.mtimeMs ?? -1) < mtimeMs) newest.set(source, { file: cached, mtimeMs });
    }
    this.cacheIndex = new Map([...newest].map(([source, { file }]) => [source, file]));
    return this.cacheIndex;
  }
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
