// `npm start` as a newcomer runs it: a fresh data directory, every port chosen by the OS. The banner's demo key
// and curl must work through the gateway (the demo data belongs to the demo partner), backends must refuse a
// direct call, the quick start example must succeed with the demo credentials kept in the data directory,
// SIGTERM must stop everything cleanly, and a second start must not print (or change) the key or that file.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs examples/quickstart.ts as `npm run example:quickstart` does (tsx, from the root), with only `env` set. */
function quickStart(env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'examples/quickstart.ts')],
      {
        cwd: ROOT,
        // Whatever the environment sets, the example must find its settings in `env` or the data directory.
        env: { ...process.env, PORTICO_API_KEY: '', PORTICO_GATEWAY_URL: '', PORTICO_DATA_DIR: '', ...env },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
    );
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

  test('prints a demo key whose curl works through the gateway, keeps it for the quick start, which succeeds; backends refuse direct calls', async () => {
    const credentialsFile = path.join(dataDir, 'demo-credentials.json');
    const first = await start(dataDir);
    let key: string;
    let saved: string;
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

      // The demo key is kept for the examples, for its owner's eyes only, and the banner says where and how.
      saved = fs.readFileSync(credentialsFile, 'utf8');
      expect(JSON.parse(saved)).toMatchObject({ apiKey: key, gatewayUrl, environment: 'test' });
      expect(fs.statSync(credentialsFile).mode & 0o777).toBe(0o600);
      expect(first.banner).toContain(`also kept in ${credentialsFile}`);
      expect(first.banner).toContain(
        `PORTICO_GATEWAY_URL=${gatewayUrl} PORTICO_DATA_DIR='${dataDir}' npm run example:quickstart`,
      );

      // As a newcomer runs it: nothing set but where the data directory is (it is ./data by default).
      const [ok, refused] = await Promise.all([
        quickStart({ PORTICO_DATA_DIR: dataDir }),
        quickStart({ PORTICO_GATEWAY_URL: gatewayUrl!, PORTICO_API_KEY: `ptc_test_${'x'.repeat(43)}` }),
      ]);
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      const lines = ok.stdout.trim().split('\n');
      expect(lines[0]).toBe(`Portico quick start: ${gatewayUrl}, key ptc_test_… (${credentialsFile})`);
      expect(lines[1]).toBe('1. A few of your customers:');
      // The demo partner has more than three customers: the first page of three is full.
      expect(lines.slice(2, 5)).toEqual(Array(3).fill(expect.stringMatching(/^ {3}cus_\w{26} {2}\S/)));
      const order = /^3\. Placed the order (ord_\w{26}): .+, \d+\.\d{2} CNY$/m.exec(ok.stdout)?.[1];
      expect(order).toBeDefined();
      expect(ok.stdout).toMatch(/^2\. Created the customer cus_\w{26} \(Quick Start Clinic\)$/m);
      expect(ok.stdout).toMatch(/^4\. Paid \d+\.\d{2} CNY by wechat_pay \(pay_\w{26}\); the order is paid$/m);
      expect(ok.stdout).toMatch(
        /^5\. A customer that does not exist: 404 not_found \(quote req_\w{26} when asking for help\)$/m,
      );
      expect(lines.at(-1)).toMatch(/^Done\./);
      // What it printed happened: the order exists and is paid.
      const placed = await fetch(`${gatewayUrl}/orders/v1/orders/${order}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(((await placed.json()) as { status: string }).status).toBe('paid');

      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        /^The quick start failed: the gateway refused the API key from PORTICO_API_KEY \(401 unauthenticated\)/,
      );
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    const second = await start(dataDir);
    try {
      expect(second.banner).not.toMatch(/ptc_test_[0-9A-Za-z]{20,}/);
      expect(second.banner).toContain('The demo partner exists from an earlier start');
      expect(second.banner).toContain(`its test key is kept in ${credentialsFile}`);
      expect(fs.readFileSync(credentialsFile, 'utf8')).toBe(saved);
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
