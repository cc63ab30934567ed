// `npm run keys -- <command>`: the operator's tools for rotating PORTICO_KEY_PEPPERS and PORTICO_SECRET_KEYS
// (keys/README.md, "Configuration and rotation"). `status` tells which configured ids are still needed and which
// stored ids are not configured; `reseal` moves every sealed secret under the current encryption key. Reads the
// same configuration, secrets and store as the portal (portal/server/src/portal-process.ts).
import type { Clock } from '../internal/src/clock';
import { systemClock } from '../internal/src/clock';
import { ConfigError, loadConfig, type Config } from '../internal/src/config';
import { resolveSecrets } from '../internal/src/secrets';
import { openDatabase, targetFor, type Database } from '../internal/src/store/database';
import { migrateToLatest } from '../internal/src/store/migrate';
import { createPepperRing } from '../keys/src/domain/key-digest';
import { createSecretBoxRing, type SecretBoxRing } from '../keys/src/domain/secret-box';
import type { SecretRing } from '../keys/src/domain/secret-ring';
import { resealIssuerKeys } from '../keys/src/oauth/issuer-key-lifecycle';
import { keysMigrations } from '../keys/src/store/migrations';
import {
  secretRotationStatus,
  type SecretRotationStatus,
  type UnattributedDigests,
} from '../keys/src/store/rotation-status';
import type { KeysTables } from '../keys/src/store/schema';
import { resealSigningKeys } from '../keys/src/store/signing-key-reseal';

/** The portal's store (KEYS_STORE_NAME in portal-process.ts), named here so this tool loads none of the portal. */
const KEYS_STORE = 'keys';

/** `status` exits with this when rows depend on ids that are not configured: usable as a pre-deploy check. */
export const EXIT_UNCONFIGURED_IDS = 2;

const USAGE = [
  'Usage: npm run keys -- <command>',
  '  status   what still uses each pepper and encryption key id; which may be removed, which are missing',
  '  reseal   re-encrypts the issuer keys and HMAC signing secrets under the current encryption key',
];

export interface KeysCommandOptions {
  config: Config;
  /** Receives the output one line at a time. */
  out: (line: string) => void;
  clock?: Clock;
}

/** Runs one command; resolves to the exit code. Errors (ConfigError for a bad command or configuration) throw. */
export async function runKeysCommand(argv: readonly string[], options: KeysCommandOptions): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    USAGE.forEach((line) => options.out(line));
    return 0;
  }
  if (command !== 'status' && command !== 'reseal') {
    throw new ConfigError(
      command === undefined
        ? 'Give a command: status or reseal (npm run keys -- help).'
        : `Unknown command '${command}'. Commands: status, reseal.`,
    );
  }
  if (rest.length > 0) throw new ConfigError(`'${command}' takes no arguments, got: ${rest.join(' ')}`);
  const rings = configuredRings(options.config);
  const database = await openKeysStore(options.config);
  try {
    const deps = { db: database.db, clock: options.clock ?? systemClock };
    if (command === 'reseal') {
      await reseal(deps, rings.secretBox, options.out);
      return 0;
    }
    const status = await secretRotationStatus(deps);
    return printStatus(status, rings, database.describe, options.out);
  } finally {
    await database.close();
  }
}

function configuredRings(config: Config): { peppers: SecretRing; secretBox: SecretBoxRing } {
  const secrets = resolveSecrets(config);
  try {
    return {
      peppers: createPepperRing(secrets.keyPeppers),
      secretBox: createSecretBoxRing(secrets.secretKeys),
    };
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

async function openKeysStore(config: Config): Promise<Database<KeysTables>> {
  const database = await openDatabase<KeysTables>(
    targetFor(KEYS_STORE, {
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      schemaPrefix: config.pgSchemaPrefix,
    }),
  );
  try {
    await migrateToLatest(database as Database<unknown>, keysMigrations);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function reseal(
  deps: { db: Database<KeysTables>['db'] },
  ring: SecretBoxRing,
  out: (line: string) => void,
): Promise<void> {
  const target = ring.current.id;
  // One line per job as it finishes, so a failure in the second still reports what the first did.
  out(`issuer keys:  ${await resealIssuerKeys(deps, ring)} re-sealed under ${target}`);
  out(`signing keys: ${await resealSigningKeys(deps, ring)} re-sealed under ${target}`);
  out(`Every sealed secret is now under ${target}; \`npm run keys -- status\` tells which keys may go.`);
}

function printStatus(
  status: SecretRotationStatus,
  rings: { peppers: SecretRing; secretBox: SecretBoxRing },
  store: string,
  out: (line: string) => void,
): number {
  const peppers = classify(rings.peppers, status.peppers, (use) =>
    Object.values(use).reduce((sum, n) => sum + n, 0),
  );
  const keys = classify(rings.secretBox, status.encryptionKeys, (use) => use.signingKeys + use.issuerKeys);
  const { pendingInvitations, liveSessions } = status.unattributed;

  out(`Secret rotation status at ${status.at} (store: ${store})`);
  out('');
  out('PORTICO_KEY_PEPPERS: secrets that can still be presented, by the pepper of their digest');
  table(
    out,
    ['pepper', 'configured', 'API keys', 'personal tokens', 'client secrets', 'previous client secrets'],
    peppers.rows.map(({ id, state }) => {
      const use = status.peppers[id];
      return [
        id,
        state,
        use?.apiKeys ?? 0,
        use?.personalTokens ?? 0,
        use?.oauthClientSecrets ?? 0,
        use?.oauthClientPreviousSecrets ?? 0,
      ];
    }),
  );
  out(
    `  No pepper id is stored for ${describeUnattributed(pendingInvitations, 'pending invitation')} ` +
      `or ${describeUnattributed(liveSessions, 'live session')}.`,
  );
  out('');
  out('PORTICO_SECRET_KEYS: sealed secrets, by the key that encrypted them');
  table(
    out,
    ['key', 'configured', 'signing keys', 'issuer keys'],
    keys.rows.map(({ id, state }) => {
      const use = status.encryptionKeys[id];
      return [id, state, use?.signingKeys ?? 0, use?.issuerKeys ?? 0];
    }),
  );
  out('');

  const removable = [
    ...peppers.unused.map((id) => `pepper ${id}`),
    ...keys.unused.map((id) => `encryption key ${id}`),
  ];
  out(
    removable.length > 0
      ? `May be removed (no row uses them): ${removable.join(', ')}.`
      : 'May be removed: none (every configured id is current or still in use).',
  );
  if (peppers.unused.length > 0 && pendingInvitations.count + liveSessions.count > 0) {
    // Their digests carry no pepper id: any of them made while an unused pepper was current fails once it goes.
    out(
      `  Before removing a pepper, wait until ${latest(pendingInvitations, liveSessions)}: the invitations and ` +
        'sessions above may have been made under it.',
    );
  }
  const missing = [
    ...peppers.missing.map(({ id, rows }) => `pepper ${id} (${count(rows, 'row')} cannot be verified)`),
    ...keys.missing.map(({ id, rows }) => `encryption key ${id} (${count(rows, 'row')} cannot be opened)`),
  ];
  if (missing.length === 0) return 0;
  out(`DANGER, in the store but not configured: ${missing.join(', ')}. Put them back in the configuration.`);
  return EXIT_UNCONFIGURED_IDS;
}

type IdState = 'current' | 'yes' | 'NO';

/** Configured ids (current first, in ring order), then ids found only in the store. */
function classify<Use>(
  ring: SecretRing,
  used: Record<string, Use>,
  total: (use: Use) => number,
): { rows: { id: string; state: IdState }[]; unused: string[]; missing: { id: string; rows: number }[] } {
  const rows: { id: string; state: IdState }[] = [];
  const unused: string[] = [];
  for (const id of ring.byId.keys()) {
    const state: IdState = id === ring.current.id ? 'current' : 'yes';
    rows.push({ id, state });
    if (state === 'yes' && (used[id] === undefined || total(used[id]) === 0)) unused.push(id);
  }
  const missing: { id: string; rows: number }[] = [];
  for (const [id, use] of Object.entries(used).sort(([a], [b]) => a.localeCompare(b))) {
    if (ring.byId.has(id)) continue;
    rows.push({ id, state: 'NO' });
    missing.push({ id, rows: total(use) });
  }
  return { rows, unused, missing };
}

function table(out: (line: string) => void, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  for (const row of cells) {
    // Text left, counts right.
    const line = row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)));
    out(`  ${line.join('  ')}`.trimEnd());
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function describeUnattributed(digests: UnattributedDigests, noun: string): string {
  const counted = count(digests.count, noun);
  return digests.endsBy === null ? counted : `${counted} (the last ends by ${digests.endsBy})`;
}

function latest(...all: UnattributedDigests[]): string {
  return all
    .map((d) => d.endsBy)
    .filter((at): at is string => at !== null)
    .reduce((a, b) => (a > b ? a : b));
}

if (require.main === module) {
  Promise.resolve()
    .then(() =>
      runKeysCommand(process.argv.slice(2), { config: loadConfig(), out: (line) => console.log(line) }),
    )
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        // One line saying what is wrong (an operator's tool: the message names the row, id or setting at fault).
        const message = error instanceof Error ? error.message : String(error);
        const [head, ...details] = message.split('\n').map((line) => line.trim());
        console.error(`npm run keys: ${[head, details.filter(Boolean).join('; ')].join(' ').trim()}`);
        process.exit(1);
      },
    );
}
