// `npm run keys` on the store the portal uses (SQLite under PORTICO_DATA_DIR, or a PostgreSQL schema): after a
// rotation, `status` shows the old ids still in use, `reseal` moves the sealed secrets, and `status` then lets the
// old encryption key go; ids found in the store but missing from the configuration are flagged.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { manualClock } from '../internal/src/clock';
import { ConfigError, loadConfig, type Config } from '../internal/src/config';
import { createIdGenerator } from '../internal/src/ids';
import { dropPostgresSchema, openDatabase, targetFor, type Database } from '../internal/src/store/database';
import { migrateToLatest } from '../internal/src/store/migrate';
import { createPepperRing, storedDigest } from '../keys/src/domain/key-digest';
import { generateApiKey } from '../keys/src/domain/key-format';
import { createSecretBoxRing } from '../keys/src/domain/secret-box';
import { ensureIssuerKey } from '../keys/src/oauth/issuer-key-lifecycle';
import { createApiKey } from '../keys/src/store/api-keys';
import { keysMigrations } from '../keys/src/store/migrations';
import type { KeysTables } from '../keys/src/store/schema';
import { findSigningKeyForVerification, openHmacSecret } from '../keys/src/store/signing-key-lookup';
import { createSigningKey } from '../keys/src/store/signing-keys';
import { signUp, testApp } from '../keys/src/store/test-fixtures';
import { EXIT_UNCONFIGURED_IDS, runKeysCommand } from './keys';

const secret = () => randomBytes(32).toString('base64url');
const P1 = secret();
const P2 = secret();
const K1 = secret();
const K2 = secret();

function suite(engine: string, env: () => Record<string, string>, cleanup: () => Promise<void>) {
  describe(`npm run keys [${engine}]`, () => {
    const clock = manualClock('2026-11-24T09:30:00.000Z');
    let database: Database<KeysTables>;
    let signingKeyId: string;
    let hmacSecret: string;

    const config = (peppers: string, keys: string): Config =>
      loadConfig({
        ...env(),
        PORTICO_KEY_PEPPERS: peppers,
        PORTICO_SECRET_KEYS: keys,
        PORTICO_OPERATOR_TOKEN: `pto_${secret()}`,
      });
    const rotated = () => config(`p2:${P2},p1:${P1}`, `k2:${K2},k1:${K1}`);

    async function run(argv: string[], cfg: Config) {
      const lines: string[] = [];
      const code = await runKeysCommand(argv, { config: cfg, out: (line) => lines.push(line), clock });
      return { code, text: lines.join('\n'), lines };
    }

    /** The table row of an id, its cells split on runs of spaces. */
    const row = (lines: string[], id: string) =>
      lines
        .find((line) => line.trim().startsWith(`${id} `))
        ?.trim()
        .split(/\s+/);

    beforeAll(async () => {
      // Made before the rotation: under pepper p1 and encryption key k1, as the portal would have.
      const before = config(`p1:${P1}`, `k1:${K1}`);
      database = await openDatabase<KeysTables>(
        targetFor('keys', {
          dataDir: before.dataDir,
          databaseUrl: before.databaseUrl,
          schemaPrefix: before.pgSchemaPrefix,
        }),
      );
      await migrateToLatest(database as Database<unknown>, keysMigrations);
      const deps = { db: database.db, clock, newId: createIdGenerator(() => clock.now().getTime()) };
      const ring = createSecretBoxRing([{ id: 'k1', secret: Buffer.from(K1, 'base64url') }]);
      const peppers = createPepperRing([{ id: 'p1', secret: Buffer.from(P1, 'base64url') }]);
      const tenant = await signUp(deps);
      const app = await testApp(deps, tenant);
      const key = generateApiKey('test');
      await createApiKey(
        deps,
        { partnerId: tenant.partner.id },
        app.id,
        {
          name: 'Clinic sync',
          secret: { ...storedDigest(peppers, key.key), prefix: key.prefix, last4: key.last4 },
        },
        tenant.as,
      );
      const created = await createSigningKey(
        { ...deps, secretBox: ring },
        { partnerId: tenant.partner.id },
        app.id,
        { algorithm: 'hmac-sha256', name: 'Back office' },
        tenant.as,
      );
      signingKeyId = created.signingKey.id;
      hmacSecret = created.secret!;
      await ensureIssuerKey(deps, ring, { algorithm: 'ES256' });
    });
    afterAll(async () => {
      await database?.close();
      await cleanup();
    });

    test('after a rotation, status shows the old pepper and the old encryption key in use', async () => {
      const { code, lines } = await run(['status'], rotated());
      expect(code).toBe(0);
      expect(row(lines, 'p2')).toEqual(['p2', 'current', '0', '0', '0', '0']);
      expect(row(lines, 'p1')).toEqual(['p1', 'yes', '1', '0', '0', '0']);
      expect(row(lines, 'k2')).toEqual(['k2', 'current', '0', '0']);
      expect(row(lines, 'k1')).toEqual(['k1', 'yes', '1', '1']);
      expect(lines).toContain('May be removed: none (every configured id is current or still in use).');
      expect(lines.some((line) => line.startsWith('DANGER'))).toBe(false);
    });

    test('reseal moves the issuer key and the signing secret under the new key, once', async () => {
      const first = await run(['reseal'], rotated());
      expect(first.code).toBe(0);
      expect(first.lines.slice(0, 2)).toEqual([
        'issuer keys:  1 re-sealed under k2',
        'signing keys: 1 re-sealed under k2',
      ]);
      const again = await run(['reseal'], rotated());
      expect(again.lines.slice(0, 2)).toEqual([
        'issuer keys:  0 re-sealed under k2',
        'signing keys: 0 re-sealed under k2',
      ]);
      const onlyK2 = createSecretBoxRing([{ id: 'k2', secret: Buffer.from(K2, 'base64url') }]);
      const stored = await findSigningKeyForVerification({ db: database.db }, signingKeyId);
      expect(openHmacSecret(onlyK2, stored!)).toEqual({ ok: true, plaintext: hmacSecret });
    });

    test('after the reseal, status says the old encryption key may be removed; the old pepper stays in use', async () => {
      const { code, lines } = await run(['status'], rotated());
      expect(code).toBe(0);
      expect(row(lines, 'k1')).toEqual(['k1', 'yes', '0', '0']);
      expect(row(lines, 'k2')).toEqual(['k2', 'current', '1', '1']);
      expect(row(lines, 'p1')).toEqual(['p1', 'yes', '1', '0', '0', '0']);
      expect(lines).toContain('May be removed (no row uses them): encryption key k1.');
    });

    test('ids in the store but not configured are flagged as a danger, with a distinct exit code', async () => {
      const { code, lines } = await run(['status'], config(`p2:${P2}`, `k2:${K2}`));
      expect(code).toBe(EXIT_UNCONFIGURED_IDS);
      expect(row(lines, 'p1')).toEqual(['p1', 'NO', '1', '0', '0', '0']);
      expect(lines).toContain(
        'DANGER, in the store but not configured: pepper p1 (1 row cannot be verified). ' +
          'Put them back in the configuration.',
      );
    });

    test('a missing or unknown command, or an invalid ring, is a configuration error', async () => {
      await expect(run([], rotated())).rejects.toThrow(ConfigError);
      await expect(run(['rotate'], rotated())).rejects.toThrow("Unknown command 'rotate'");
      await expect(run(['status', 'now'], rotated())).rejects.toThrow(ConfigError);
      const short = config(`p1:${P1}`, `k1:${K1}`);
      const tooShort = { ...short, secretKeys: [{ id: 'k1', secret: Buffer.alloc(16) }] };
      await expect(run(['reseal'], tooShort)).rejects.toThrow(ConfigError);
    });
  });
}

let dataDir: string;
suite(
  'sqlite',
  () => {
    dataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'portico-keys-cli-'));
    return { PORTICO_DATA_DIR: dataDir };
  },
  async () => fs.rmSync(dataDir, { recursive: true, force: true }),
);

const { databaseUrl } = loadConfig();
if (databaseUrl) {
  const prefix = `t_${randomBytes(4).toString('hex')}_keyscli`;
  suite(
    'postgres',
    () => ({ DATABASE_URL: databaseUrl, PORTICO_PG_SCHEMA_PREFIX: prefix }),
    () => dropPostgresSchema(databaseUrl, `${prefix}_keys`),
  );
} else {
  describe.skip('npm run keys [postgres] (skipped: DATABASE_URL is not set)', () => {
    test('runs on PostgreSQL', () => undefined);
  });
}
