// The portal as `npm start` runs it: on the embedded defaults it generates and keeps its secrets, migrates its
// SQLite store, and a restart keeps every partner and session; with DATABASE_URL it uses its own schema.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../internal/src/config';
import { createLogger } from '../../../internal/src/logger';
import { dropPostgresSchema } from '../../../internal/src/store/database';
import { startPortal } from './portal-process';

const logger = createLogger({ level: 'silent' });
const signUpBody = (email: string) =>
  JSON.stringify({ partnerName: 'Jade Pharmacy', name: 'Li Wei', email, password: 'a long passphrase 42' });

async function signUpAndRestart(env: Record<string, string>): Promise<void> {
  const config = loadConfig({ PORTICO_PORTAL_PORT: '0', ...env });
  const first = await startPortal({ config, logger });
  let cookie: string;
  try {
    const signUp = await fetch(`${first.apiUrl}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signUpBody(`li.${randomBytes(3).toString('hex')}@jade.example`),
    });
    expect(signUp.status).toBe(201);
    cookie = signUp.headers.get('set-cookie')!.split(';')[0]!;
  } finally {
    await first.stop();
  }
  const second = await startPortal({ config, logger });
  try {
    // Same secrets after the restart: the session digest still matches under the kept pepper.
    const me = await fetch(`${second.apiUrl}/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
  } finally {
    await second.stop();
  }
}

describe('the portal process on embedded defaults', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-portal-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('generates its secrets once (0600), migrates keys.sqlite, and a restart keeps partners and sessions', async () => {
    await signUpAndRestart({ PORTICO_DATA_DIR: dataDir });
    expect(fs.existsSync(path.join(dataDir, 'keys.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});

const { databaseUrl } = loadConfig();
(databaseUrl ? describe : describe.skip)(
  `the portal process with DATABASE_URL${databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)'}`,
  () => {
    const prefix = `t_${randomBytes(4).toString('hex')}_portal`;
    afterAll(() => dropPostgresSchema(databaseUrl!, `${prefix}_keys`));

    test('refuses to start without configured secrets, and runs in its own schema with them', async () => {
      const base = { DATABASE_URL: databaseUrl!, PORTICO_PG_SCHEMA_PREFIX: prefix };
      await expect(
        startPortal({ config: loadConfig({ ...base, PORTICO_PORTAL_PORT: '0' }), logger }),
      ).rejects.toThrow(/PORTICO_KEY_PEPPERS/);
      const secret = () => randomBytes(32).toString('base64url');
      await signUpAndRestart({
        ...base,
        PORTICO_KEY_PEPPERS: `p1:${secret()}`,
        PORTICO_SECRET_KEYS: `k1:${secret()}`,
        PORTICO_OPERATOR_TOKEN: secret(),
      });
    });
  },
);
