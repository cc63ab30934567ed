// bench/keys-verify (`npm run bench:keys-verify`): what the gateway's API-key verification costs with a million keys
// in the store, on SQLite and on PostgreSQL — a cached key, and uncached keys that each need one indexed lookup, whose
// query plan is printed and checked (exit 1 if the lookup reads a table whole). Throughput and latency are compared
// with a baseline measured in the same run: the format check and the digest, the CPU floor of every verification.
//
// A benchmark entry point, so unlike product code it reads process.env: ROWS (keys in the store, default 1,000,000),
// SECONDS (per measurement, default 5), DATABASE_URL (PostgreSQL too when set; a schema of its own, dropped after).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql, type Kysely, type KyselyPlugin } from 'kysely';
import { systemClock } from '../../internal/src/clock';
import type { Dialect } from '../../internal/src/store/database';
import { candidateDigests, createPepperRing } from '../../keys/src/domain/key-digest';
import { parseApiKey } from '../../keys/src/domain/key-format';
import type { KeyRecord } from '../../keys/src/domain/key-verdict';
import type { SecretRing } from '../../keys/src/domain/secret-ring';
import { findApiKeyForVerification } from '../../keys/src/store/api-key-lookup';
import type { KeysTables } from '../../keys/src/store/schema';
import { VerificationCache } from '../../keys/src/verify/verification-cache';
import { createApiKeyVerifier, type ApiKeyVerifier } from '../../keys/src/verify/verify-api-key';
import { measure } from './measure';
import { openBenchStore } from './open-store';
import { populate, type Population } from './populate';
import { explainLookup } from './query-plan';
import { count, indent, resultsTable, seconds, type Row } from './report';

/** Distinct real keys the uncached scenarios cycle through. */
const SAMPLE_SIZE = 10_000;
/** How long the cached verifier trusts an entry (the gateway's order of magnitude). */
const CACHE_TTL_MS = 30_000;
/** Verifications in flight in the concurrent scenario (a gateway serves many requests at once). */
const CONCURRENCY = 16;

interface Options {
  rows: number;
  seconds: number;
  databaseUrl: string | undefined;
}

async function main(signal: AbortSignal): Promise<number> {
  const options: Options = {
    rows: positiveNumber('ROWS', 1_000_000, { integer: true }),
    seconds: positiveNumber('SECONDS', 5, { integer: false }),
    databaseUrl: process.env.DATABASE_URL || undefined,
  };
  const cpus = os.cpus();
  console.log(
    `bench/keys-verify: ${count(options.rows)} keys in the store, ${options.seconds} s per measurement; ` +
      `Node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}`,
  );
  const engines: Dialect[] = ['sqlite'];
  if (options.databaseUrl) engines.push('postgres');
  else console.log('PostgreSQL: SKIPPED, DATABASE_URL is not set (set it to benchmark PostgreSQL as well).');

  const failures: string[] = [];
  for (const dialect of engines) {
    failures.push(...(await benchEngine(dialect, options, signal)).map((f) => `${dialect}: ${f}`));
  }
  console.log();
  if (failures.length > 0) {
    console.log(`FAILED:\n${indent(failures.join('\n'))}`);
    return 1;
  }
  console.log(
    `OK: on ${engines.join(' and ')} every uncached verification was one statement through the digest index.`,
  );
  return 0;
}

/** Benchmarks one engine; returns what failed (empty when the lookup is one indexed query and every key verified). */
async function benchEngine(dialect: Dialect, options: Options, signal: AbortSignal): Promise<string[]> {
  const store = await openBenchStore({
    dialect,
    databaseUrl: options.databaseUrl,
    poolSize: CONCURRENCY + 2,
  });
  try {
    const { deps } = store;
    console.log(`\n== ${await engineVersion(deps.db, dialect)}: ${store.describe} ==`);
    const peppers = createPepperRing([{ id: 'bench', secret: randomBytes(32) }]);

    const loadStarted = Date.now();
    const population = await populate(
      deps,
      dialect,
      { rows: options.rows, sampleSize: SAMPLE_SIZE, peppers },
      signal,
    );
    const loadedMs = Date.now() - loadStarted;
    const analyzeStarted = Date.now();
    const analyze = dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE';
    // Fresh statistics, so the planners choose as they would in production. On PostgreSQL VACUUM too: otherwise
    // autovacuum wakes up after the bulk load and competes with the measurements for CPU. (A bare VACUUM or ANALYZE
    // would visit every schema of the database; name this store's tables.)
    if (dialect === 'postgres') await sql`vacuum analyze api_keys, apps, partners, plans`.execute(deps.db);
    else await sql`analyze`.execute(deps.db);
    const stored = await deps.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      `store: ${count(Number(stored.n))} API keys, ${count(population.apps)} apps, ` +
        `${count(population.partners)} partners; loaded in ${seconds(loadedMs)} ` +
        `(${count(options.rows / (loadedMs / 1000))} keys/s), ${analyze} ${seconds(Date.now() - analyzeStarted)}`,
    );
    const failures: string[] = [];
    if (Number(stored.n) !== population.keys) {
      failures.push(`expected ${population.keys} keys in the store, found ${stored.n}`);
    }

    failures.push(...(await printPlans(deps, dialect, population, peppers)));

    const counted = countStatements(deps.db);
    const verifierWith = (maxEntries: number) =>
      createApiKeyVerifier({
        lookup: (digests) => findApiKeyForVerification({ db: counted.db }, digests),
        peppers,
        // maxEntries 0: every entry is evicted as soon as it is stored, so every verification goes to the store.
        cache: new VerificationCache<KeyRecord | null>({
          clock: systemClock,
          ttlMs: CACHE_TTL_MS,
          negativeTtlMs: 2_000,
          maxEntries,
        }),
        clock: systemClock,
      });
    const cached = verifierWith(10_000);
    const uncached = verifierWith(0);

    // Every key the scenarios present verifies as valid: the numbers below are those of the success path.
    const keys = population.sample.map((k) => k.key);
    const invalid = await firstInvalid(uncached, [population.hotKey.key, ...keys]);
    if (invalid) failures.push(invalid);
    console.log(
      `\nverified first, one by one: the hot key and ${count(keys.length)} sample keys ` +
        (invalid ? `are NOT all valid (${invalid})` : 'are all valid'),
    );

    const rows: Row[] = [];
    const hot = population.hotKey.key;
    rows.push({
      measurement: await measure(
        '(a) baseline: parseApiKey + candidateDigests',
        () => parseApiKey(hot).ok && candidateDigests(peppers, hot),
        { seconds: options.seconds, signal },
      ),
      statementsPerOp: undefined,
    });
    const scenario = async (label: string, verify: () => unknown, concurrency = 1) => {
      const before = counted.count();
      const measurement = await measure(label, verify, { seconds: options.seconds, concurrency, signal });
      const statements = counted.count() - before;
      rows.push({ measurement, statementsPerOp: statements / (measurement.warmUpOps + measurement.ops) });
      return statements;
    };
    const cachedStatements = await scenario('(b) cached: one hot key', () => cached(hot));
    let next = 0;
    const nextKey = () => keys[next++ % keys.length]!;
    await scenario(`(c) uncached: ${count(keys.length)} keys in turn`, () => uncached(nextKey()));
    await scenario(`(d) uncached, ${CONCURRENCY} in flight`, () => uncached(nextKey()), CONCURRENCY);
    console.log(`\n${resultsTable(rows)}`);
    console.log(
      'vs baseline: baseline ops/s ÷ ops/s (1.0× = the cost of the format check and the HMAC alone). ' +
        'statements/op: queries sent to the store per verification.',
    );
    if (dialect === 'sqlite') {
      console.log(
        '(d) on SQLite: one connection answers every query in turn, so verifications in flight queue.',
      );
    }

    // The cached verifier looks the hot key up once, then once per TTL at most (the warm-up adds a fifth at most).
    const allowed = 1 + Math.floor((options.seconds * 1.2 * 1000) / CACHE_TTL_MS);
    if (cachedStatements > allowed) {
      failures.push(`the cached scenario queried the store ${cachedStatements} times, more than ${allowed}`);
    }
    for (const row of rows.slice(2)) {
      if (Math.abs(row.statementsPerOp! - 1) > 1e-9) {
        failures.push(
          `${row.measurement.label} sent ${row.statementsPerOp} statements per verification, not 1`,
        );
      }
    }
    const after = await firstInvalid(cached, [hot]);
    if (after) failures.push(after);
    return failures;
  } finally {
    await store.dispose();
  }
}

/** Prints the uncached query and its plans (one pepper; two while peppers rotate) and returns what is wrong. */
async function printPlans(
  deps: { db: Kysely<KeysTables> },
  dialect: Dialect,
  population: Population,
  peppers: SecretRing,
): Promise<string[]> {
  const key = population.sample[Math.floor(population.sample.length / 2)]!.key;
  // During a rotation the new pepper comes first; the key is still stored under the old one.
  const rotating = createPepperRing([{ id: 'next', secret: randomBytes(32) }, peppers.current]);
  const cases = [
    { title: 'one pepper, one candidate digest', digests: candidateDigests(peppers, key) },
    { title: 'pepper rotation, two candidate digests', digests: candidateDigests(rotating, key) },
  ];
  const failures: string[] = [];
  for (const [i, { title, digests }] of cases.entries()) {
    const plan = await explainLookup(
      deps,
      dialect,
      digests.map((d) => d.digest),
    );
    if (i === 0) console.log(`\nuncached lookup (keys/src/store/api-key-lookup.ts):\n${indent(plan.sql)}`);
    console.log(`\nquery plan, ${title}:\n${indent(plan.text)}`);
    for (const check of plan.checks) {
      console.log(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.says}`);
      if (!check.ok) failures.push(`query plan (${title}): expected that ${check.says}`);
    }
  }
  return failures;
}

/** The first key that does not verify as valid, described; undefined when all do. */
async function firstInvalid(verify: ApiKeyVerifier, keys: readonly string[]): Promise<string | undefined> {
  for (const [i, key] of keys.entries()) {
    const result = await verify(key);
    if (result.outcome !== 'valid') return `key #${i} verified as ${result.outcome}, not valid`;
  }
  return undefined;
}

/** The same database, counting the statements compiled through it (every one of them is executed). */
function countStatements(db: Kysely<KeysTables>): { db: Kysely<KeysTables>; count: () => number } {
  let statements = 0;
  const counter: KyselyPlugin = {
    transformQuery: ({ node }) => {
      statements += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(counter), count: () => statements };
}

async function engineVersion(db: Kysely<KeysTables>, dialect: Dialect): Promise<string> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
    return `SQLite ${rows[0]!.v}`;
  }
  const { rows } = await sql<{ server_version: string }>`show server_version`.execute(db);
  return `PostgreSQL ${rows[0]!.server_version}`;
}

function positiveNumber(name: string, fallback: number, { integer }: { integer: boolean }): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, not '${raw}'`);
  }
  return value;
}

// Ctrl-C stops the run between two batches or operations, and the store is still removed (the temporary directory,
// the schema). The terminal signals the whole process group and tsx relays the signal to this process too, so a
// second SIGINT within a second is the same request; a later one quits at once.
const interrupt = new AbortController();
let interruptedAtMs = 0;
process.on('SIGINT', () => {
  if (!interrupt.signal.aborted) {
    interruptedAtMs = Date.now();
    interrupt.abort(new Error('interrupted'));
  } else if (Date.now() - interruptedAtMs > 1000) {
    process.exit(130);
  }
});

main(interrupt.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (interrupt.signal.aborted) {
      console.error('\nInterrupted; the benchmark store was removed.');
      process.exitCode = 130;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
