// `npm start` as a newcomer runs it: a fresh data directory, every port chosen by the OS. The banner's demo key
// and curl must work through the gateway (the demo data belongs to the demo partner), backends must refuse a
// direct call, SIGTERM must stop everything cleanly, and a second start must not print (or change) the key.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface Started {
  child: ChildProcess;
  banner: string;
}

function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORTICO_DATA_DIR: dataDir,
      // The embedded defaults, whatever the CI environment sets.
      DATABASE_URL: '',
      REDIS_URL: '',
      PORTICO_CRM_PORT: '0',
      PORTICO_ORDERS_PORT: '0',
      PORTICO_ENTITLEMENTS_PORT: '0',
      PORTICO_PORTAL_PORT: '0',
      PORTICO_GATEWAY_PORT: '0',
      PORTICO_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) resolve({ child, banner: output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm start on a fresh clone', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('prints a demo key whose curl works through the gateway; backends refuse direct calls', async () => {
    const first = await start(dataDir);
    let key: string;
    try {
      const gatewayUrl = /Gateway\s+(http:\/\/\S+)/.exec(first.banner)?.[1];
      const crmUrl = /CRM \(backend\)\s+(http:\/\/\S+)/.exec(first.banner)?.[1];
      key = /^\s+(ptc_test_[0-9A-Za-z]+)$/m.exec(first.banner)?.[1] ?? '';
      expect(gatewayUrl).toBeDefined();
      expect(key).not.toBe('');
      expect(first.banner).toContain(
        `curl -s ${gatewayUrl}/crm/v1/customers -H 'Authorization: Bearer ${key}'`,
      );

      const listed = await fetch(`${gatewayUrl}/crm/v1/customers`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('ratelimit-policy')).toBeTruthy();
      const body = (await listed.json()) as { data: unknown[] };
      expect(body.data.length).toBeGreaterThan(0);

      const direct = await fetch(`${crmUrl}/customers`);
      expect(direct.status).toBe(401);
      await direct.arrayBuffer();
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    const second = await start(dataDir);
    try {
      expect(second.banner).not.toMatch(/ptc_test_[0-9A-Za-z]{20,}/);
      expect(second.banner).toContain('The demo partner exists from an earlier start');
      const gatewayUrl = /Gateway\s+(http:\/\/\S+)/.exec(second.banner)![1];
      const again = await fetch(`${gatewayUrl}/crm/v1/customers`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 120_000);
});
