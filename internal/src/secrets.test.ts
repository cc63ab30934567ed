// Server secrets: configuration wins, the embedded default generates them once and keeps them, PostgreSQL requires them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config';
import { LOCAL_SECRETS_FILE, resolveSecrets } from './secrets';

const secret = () => randomBytes(32).toString('base64url');

describe('resolveSecrets', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-secrets-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('on the embedded defaults, generates secrets once, owner-readable only, and returns the same ones after a restart', () => {
    const first = resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    const file = path.join(dataDir, LOCAL_SECRETS_FILE);
    expect(first.generatedFile).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keyPeppers[0]!.secret.length).toBe(32);
    const second = resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    expect(second.keyPeppers[0]!.secret.equals(first.keyPeppers[0]!.secret)).toBe(true);
    expect(second.operatorToken).toBe(first.operatorToken);
  });

  test('configured secrets win, in ring order, and nothing is written', () => {
    const config = loadConfig({
      PORTICO_DATA_DIR: dataDir,
      PORTICO_KEY_PEPPERS: `p2:${secret()},p1:${secret()}`,
      PORTICO_SECRET_KEYS: `k1:${secret()}`,
      PORTICO_OPERATOR_TOKEN: 'o'.repeat(40),
    });
    const resolved = resolveSecrets(config);
    expect(resolved.keyPeppers.map((p) => p.id)).toEqual(['p2', 'p1']);
    expect(resolved.generatedFile).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, LOCAL_SECRETS_FILE))).toBe(false);
  });

  test('with DATABASE_URL, missing secrets stop start-up and are named', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      PORTICO_KEY_PEPPERS: `p1:${secret()}`,
    });
    expect(() => resolveSecrets(config)).toThrow(ConfigError);
    expect(() => resolveSecrets(config)).toThrow(/PORTICO_SECRET_KEYS, PORTICO_OPERATOR_TOKEN/);
  });

  test.each([
    ['p1', 'each entry must be id:secret'],
    [`p1:${Buffer.alloc(16).toString('base64url')}`, 'at least 32 bytes'],
    [`p1:${secret()},p1:${secret()}`, 'appears twice'],
  ])('a malformed ring %p is refused with a readable reason', (value, reason) => {
    expect(() => loadConfig({ PORTICO_KEY_PEPPERS: value })).toThrow(reason);
  });
});
