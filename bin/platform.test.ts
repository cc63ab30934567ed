// The platform as `npm start` runs it: every service comes up on its configured store, answers the gateway's
// identity assertions (signed with the configured key) with the seeded demo data and refuses anything else, and a
// restart keeps everything and seeds nothing twice — on SQLite files and on PostgreSQL schemas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../internal/src/clock';
import { ConfigError, loadConfig, type Config } from '../internal/src/config';
import { IDENTITY_CHALLENGE } from '../internal/src/http/identity-assertion-middleware';
import { IDENTITY_ASSERTION_HEADER } from '../internal/src/identity/identity-assertion';
import { generateIdentityKey, type IdentityKey } from '../internal/src/identity/identity-keys';
import { createIdentitySigner } from '../internal/src/identity/identity-signer';
import { createLogger } from '../internal/src/logger';
import { resolveIdentityKeys } from '../internal/src/secrets';
import { DEMO_SCOPE, runServices, type RunningService } from '../internal/src/service/run-services';
import { dropPostgresSchema } from '../internal/src/store/database';
import { testCaller } from '../internal/src/testing/identity';
import { PLATFORM_SERVICES } from './services';

/** What the gateway would send to `service` for the demo tenant, signed with `key`. */
function demoAssertion(key: IdentityKey, service: RunningService): Record<string, string> {
  const sign = createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock: systemClock });
  return { [IDENTITY_ASSERTION_HEADER]: sign(testCaller(DEMO_SCOPE), service.name) };
}

async function listIds(service: RunningService, key: IdentityKey): Promise<string[]> {
  const res = await fetch(service.demoUrl, { headers: demoAssertion(key, service) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Array<{ id: string }> };
  return body.data.map((r) => r.id);
}

/** The backend cannot be reached around the gateway: the old headers and a stranger's signature are one 401. */
async function expectRefusedWithoutTheGateway(service: RunningService, key: IdentityKey): Promise<void> {
  // The stranger signs under the configured kid, so only the signature tells the two apart.
  const stranger = generateIdentityKey(key.kid).key;
  for (const headers of [
    { 'x-portico-partner-id': DEMO_SCOPE.partnerId, 'x-portico-environment': DEMO_SCOPE.environment },
    demoAssertion(stranger, service),
  ]) {
    const res = await fetch(service.demoUrl, { headers });
    expect({ service: service.name, status: res.status }).toEqual({ service: service.name, status: 401 });
    expect(res.headers.get('www-authenticate')).toBe(IDENTITY_CHALLENGE);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }
}

async function startTwiceAndCompare(config: Config, expectStore: (name: string) => string): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  const first = await runServices(PLATFORM_SERVICES, { config, logger });
  // What the gateway of this configuration signs with: PORTICO_IDENTITY_KEYS, or the key in secrets.json.
  const key = resolveIdentityKeys(config)[0]!;
  const before: Record<string, string[]> = {};
  try {
    expect(first.services.map((s) => s.name)).toEqual(PLATFORM_SERVICES.map((s) => s.name));
    for (const service of first.services) {
      expect(service.store).toEqual(expectStore(service.name));
      await expectRefusedWithoutTheGateway(service, key);
      before[service.name] = await listIds(service, key);
      expect(before[service.name]!.length).toBeGreaterThan(0);
    }
  } finally {
    await first.stop();
  }
  const second = await runServices(PLATFORM_SERVICES, { config, logger });
  try {
    // A restart verifies with the same key: assertions signed before it stay good.
    for (const service of second.services) expect(await listIds(service, key)).toEqual(before[service.name]);
  } finally {
    await second.stop();
  }
}

const anyPorts = { PORTICO_CRM_PORT: '0', PORTICO_ORDERS_PORT: '0', PORTICO_ENTITLEMENTS_PORT: '0' };

describe('npm start on embedded defaults (SQLite)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-start-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('runs every service with seeded demo data in SQLite files, answering only assertions signed with the key in secrets.json; a restart loses and duplicates nothing', async () => {
    await startTwiceAndCompare(
      loadConfig({ PORTICO_DATA_DIR: dataDir, ...anyPorts }),
      (name) =>
        expect.stringMatching(
          new RegExp(`^sqlite:${path.join(dataDir, name)}\\.sqlite$`),
        ) as unknown as string,
    );
    for (const service of PLATFORM_SERVICES)
      expect(fs.existsSync(path.join(dataDir, `${service.name}.sqlite`))).toBe(true);
  });
});

test('with DATABASE_URL and no PORTICO_IDENTITY_KEYS, npm start refuses to start before opening any store', async () => {
  // An unreachable URL: reaching the database at all would fail differently.
  const config = loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', ...anyPorts });
  const started = runServices(PLATFORM_SERVICES, { config, logger: createLogger({ level: 'silent' }) });
  await expect(started).rejects.toThrow(ConfigError);
  await expect(started).rejects.toThrow(/PORTICO_IDENTITY_KEYS/);
});

const { databaseUrl } = loadConfig();
(databaseUrl ? describe : describe.skip)(
  `npm start with DATABASE_URL (PostgreSQL)${databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)'}`,
  () => {
    const prefix = `t_${randomBytes(4).toString('hex')}_start`;
    afterAll(async () => {
      for (const service of PLATFORM_SERVICES)
        await dropPostgresSchema(databaseUrl!, `${prefix}_${service.name}`);
    });

    test('runs every service in its own schema with seeded demo data, answering only assertions signed with PORTICO_IDENTITY_KEYS; a restart loses and duplicates nothing', async () => {
      await startTwiceAndCompare(
        loadConfig({
          DATABASE_URL: databaseUrl,
          PORTICO_PG_SCHEMA_PREFIX: prefix,
          PORTICO_IDENTITY_KEYS: `i7:${generateIdentityKey('i7').encoded}`,
          ...anyPorts,
        }),
        (name) => expect.stringContaining(`(schema ${prefix}_${name})`) as unknown as string,
      );
    });
  },
);
