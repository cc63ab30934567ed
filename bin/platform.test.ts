// The platform as `npm start` runs it: every service comes up on its configured store, answers with the seeded
// demo data, and a restart keeps everything and seeds nothing twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../internal/src/config';
import { createLogger } from '../internal/src/logger';
import { DEMO_SCOPE, runServices } from '../internal/src/service/run-services';
import { PLATFORM_SERVICES } from './services';

const demoHeaders = {
  'x-portico-partner-id': DEMO_SCOPE.partnerId,
  'x-portico-environment': DEMO_SCOPE.environment,
};

async function listAll(url: string): Promise<string[]> {
  const res = await fetch(url, { headers: demoHeaders });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: Array<{ id: string }> };
  return body.data.map((r) => r.id);
}

describe('npm start on embedded defaults', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-start-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const config = () =>
    loadConfig({
      PORTICO_DATA_DIR: dataDir,
      PORTICO_CRM_PORT: '0',
      PORTICO_ORDERS_PORT: '0',
      PORTICO_ENTITLEMENTS_PORT: '0',
    });

  test('runs every service with seeded demo data in SQLite files, and a restart loses and duplicates nothing', async () => {
    const logger = createLogger({ level: 'silent' });
    const first = await runServices(PLATFORM_SERVICES, { config: config(), logger });
    const before: Record<string, string[]> = {};
    try {
      expect(first.services.map((s) => s.name)).toEqual(PLATFORM_SERVICES.map((s) => s.name));
      for (const service of first.services) {
        expect(service.store).toBe(`sqlite:${path.join(dataDir, `${service.name}.sqlite`)}`);
        before[service.name] = await listAll(service.demoUrl);
        expect(before[service.name]!.length).toBeGreaterThan(0);
      }
    } finally {
      await first.stop();
    }
    for (const service of PLATFORM_SERVICES)
      expect(fs.existsSync(path.join(dataDir, `${service.name}.sqlite`))).toBe(true);

    const second = await runServices(PLATFORM_SERVICES, { config: config(), logger });
    try {
      for (const service of second.services)
        expect(await listAll(service.demoUrl)).toEqual(before[service.name]);
    } finally {
      await second.stop();
    }
  });
});
