// What the quick start promises without a running platform: `npm run example:quickstart` runs it; a missing key, a
// live key and an unreachable gateway each end it non-zero with a message that says what to do; and the excerpt in
// docs/getting-started.md is its code as it is. Its success against `npm start` is proven in bin/start.test.ts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const QUICKSTART = path.join(ROOT, 'examples/quickstart.ts');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      // Whatever the environment sets, the example must see only `env`.
      { cwd: ROOT, env: { ...process.env, PORTICO_API_KEY: '', PORTICO_GATEWAY_URL: '', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? null) : 0, stdout, stderr }),
    );
  });
}

const quickStart = (env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', QUICKSTART], env);

/** A local address where nothing listens: a port the OS handed out, closed again. */
async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('examples/quickstart.ts', () => {
  const emptyDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-quickstart-'));
  afterAll(() => fs.rmSync(emptyDataDir, { recursive: true, force: true }));

  test('`npm run example:quickstart` without a key exits 1 and says where to get one', async () => {
    const result = await run('npm', ['run', '-s', 'example:quickstart'], { PORTICO_DATA_DIR: emptyDataDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The quick start failed: no API key. Set PORTICO_API_KEY to a test key');
    expect(result.stderr).toContain(`keeps it in ${path.join(emptyDataDir, 'demo-credentials.json')}`);
  });

  test('refuses a live key before calling anything, since it creates records', async () => {
    const result = await quickStart({
      PORTICO_API_KEY: `ptc_live_${'x'.repeat(43)}`,
      PORTICO_GATEWAY_URL: await closedPortUrl(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'The quick start failed: PORTICO_API_KEY is a live key; the quick start creates records, so run it with a ' +
        'test key.\n',
    );
  });

  test('an unreachable gateway exits 1 asking whether `npm start` runs', async () => {
    const gatewayUrl = await closedPortUrl();
    const result = await quickStart({
      PORTICO_API_KEY: `ptc_test_${'x'.repeat(43)}`,
      PORTICO_GATEWAY_URL: gatewayUrl,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`Portico quick start: ${gatewayUrl}, key ptc_test_… (PORTICO_API_KEY)\n`);
    expect(result.stderr).toMatch(
      new RegExp(
        `^The quick start failed: nothing answers at ${gatewayUrl}\\. Is \`npm start\` running\\? .*ECONNREFUSED`,
      ),
    );
  });

  test('docs/getting-started.md shows the quick start exactly as examples/quickstart.ts has it', () => {
    const source = fs.readFileSync(QUICKSTART, 'utf8');
    const region = /^\/\/ #region quickstart.*\n([\s\S]*?)^\/\/ #endregion quickstart$/m.exec(source)?.[1];
    const page = fs.readFileSync(path.join(ROOT, 'docs/getting-started.md'), 'utf8');
    const excerpt = /<!-- quickstart:begin[^>]*-->\s*```ts\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(
      page,
    )?.[1];
    expect(region).toBeDefined();
    expect(excerpt).toBe(region);
  });
});
