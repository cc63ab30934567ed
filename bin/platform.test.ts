// The platform as `npm start` runs it: every service comes up on its configured store, answers with the seeded
// demo data, and a restart keeps everything and seeds nothing twice — on SQLite files and on PostgreSQL schemas.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../internal/src/config';
import { createLogger } from '../internal/src/logger';
import { DEMO_SCOPE, runServices } from '../internal/src/service/run-services';
import { dropPostgresSchema } from '../internal/src/store/database';
import { PLATFORM_SERVICES } from './services';

const demoHeaders = {
  'x-portico-partner-id': DEMO_SCOPE.partnerId,
  'x-portico-environment': DEMO_SCOPE.environment,
};

async function listIds(url: string): Promise<string[]> {
  const res = await fetch(url, { headers: demoHeaders });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Array<{ id: string }> };
  return body.data.map((r) => r.id);
}

async function startTwiceAndCompare(config: Config, expectStore: (name: string) => string): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  const first = await runServices(PLATFORM_SERVICES, { config, logger });
  const before: Record<string, string[]> = {};
  try {
    expect(first.services.map((s) => s.name)).toEqual(PLATFORM_SERVICES.map((s) => s.name));
    for (const service of first.services) {
      expect(service.store).toEqual(expectStore(service.name));
      before[service.name] = await listIds(service.demoUrl);
      expect(before[service.name]!.length).toBeGreaterThan(0);
    }
  } finally {
    await first.stop();
  }
  const second = await runServices(PLATFORM_SERVICES, { config, logger });
  try {
    for (const service of second.services)
      expect(await listIds(service.demoUrl)).toEqual(before[service.name]);
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

  test('runs every service with seeded demo data in SQLite files; a restart loses and duplicates nothing', async () => {
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

const { databaseUrl } = loadConfig();
(databaseUrl ? describe : describe.skip)(
  `npm start with DATABASE_URL (PostgreSQL)${databaseUrl ? '' : ' (skipped: DATABASE_URL is not set)'}`,
  () => {
    const prefix = `t_${randomBytes(4).toString('hex')}_start`;
    afterAll(async () => {
      for (const service of PLATFORM_SERVICES)
        await dropPostgresSchema(databaseUrl!, `${prefix}_${service.name}`);
    });

    test('runs every service in its own schema with seeded demo data; a restart loses and duplicates nothing', async () => {
      await startTwiceAndCompare(
        loadConfig({ DATABASE_URL: databaseUrl, PORTICO_PG_SCHEMA_PREFIX: prefix, ...anyPorts }),
        (name) => expect.stringContaining(`(schema ${prefix}_${name})`) as unknown as string,
      );
    });
  },
);
