// Server secrets: configuration wins, the embedded default generates them once and keeps them, PostgreSQL requires them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ConfigError, loadConfig } from './config';
import { encodeIdentityPrivateKey } from './identity/identity-keys';
import { LOCAL_SECRETS_FILE, resolveIdentityKeys, resolveSecrets } from './secrets';

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

describe('resolveIdentityKeys', () => {
  let dataDir: string;
  let file: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-identity-keys-'));
    file = path.join(dataDir, LOCAL_SECRETS_FILE);
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const der = (key: { privateKey: KeyObject }) => encodeIdentityPrivateKey(key.privateKey);
  const ed25519 = () => encodeIdentityPrivateKey(generateKeyPairSync('ed25519').privateKey);

  test('on the embedded defaults, a key pair is generated with the other secrets and every process reads the same one', () => {
    resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(stored.identityKeys).toEqual([{ kid: 'i1', privateKey: expect.any(String) }]);
    const gateway = resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    const backend = resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    expect(gateway.map((k) => k.kid)).toEqual(['i1']);
    expect(gateway[0]!.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(der(backend[0]!)).toBe(der(gateway[0]!));
    expect(der(gateway[0]!)).toBe(stored.identityKeys[0].privateKey);
  });

  test('creates secrets.json when the first process to start needs only the identity keys', () => {
    const keys = resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const secrets = resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    expect(secrets.keyPeppers).toHaveLength(1);
    expect(der(resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }))[0]!)).toBe(der(keys[0]!));
  });

  test('adds a key pair once to a secrets.json written before identity keys existed, keeping every other secret', () => {
    const before = {
      keyPeppers: [{ id: 'p1', secret: secret() }],
      secretKeys: [{ id: 'k1', secret: secret() }],
      operatorToken: `pto_${secret()}`,
    };
    fs.writeFileSync(file, JSON.stringify(before), { mode: 0o600 });
    const first = resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    const after = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(after).toMatchObject(before);
    expect(after.identityKeys).toEqual([{ kid: 'i1', privateKey: der(first[0]!) }]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual([LOCAL_SECRETS_FILE]); // no lock or temporary file left behind
    expect(der(resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }))[0]!)).toBe(der(first[0]!));
    expect(resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir })).operatorToken).toBe(
      before.operatorToken,
    );
  });

  test('processes starting together on an older secrets.json all end up with the one key that was added', async () => {
    fs.writeFileSync(
      file,
      JSON.stringify({
        keyPeppers: [{ id: 'p1', secret: secret() }],
        secretKeys: [{ id: 'k1', secret: secret() }],
        operatorToken: `pto_${secret()}`,
      }),
      { mode: 0o600 },
    );
    const script = path.join(dataDir, 'resolve-identity-keys.ts');
    fs.writeFileSync(
      script,
      [
        `import { loadConfig } from ${JSON.stringify(path.resolve(__dirname, 'config'))};`,
        `import { resolveIdentityKeys } from ${JSON.stringify(path.resolve(__dirname, 'secrets'))};`,
        `import { encodeIdentityPrivateKey } from ${JSON.stringify(path.resolve(__dirname, 'identity/identity-keys'))};`,
        `const [key] = resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: ${JSON.stringify(dataDir)} }));`,
        'process.stdout.write(encodeIdentityPrivateKey(key!.privateKey));',
      ].join('\n'),
    );
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', script]).then((r) => r.stdout);
    const keys = await Promise.all(Array.from({ length: 4 }, run));
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(new Set(keys)).toEqual(new Set([stored.identityKeys[0].privateKey]));
    expect(fs.readdirSync(dataDir).sort()).toEqual([script, file].map((f) => path.basename(f)).sort());
  });

  test('configured PORTICO_IDENTITY_KEYS win, in ring order, and nothing is written', () => {
    const config = loadConfig({
      PORTICO_DATA_DIR: dataDir,
      PORTICO_IDENTITY_KEYS: `i2:${ed25519()},i1:${ed25519()}`,
    });
    expect(resolveIdentityKeys(config).map((k) => k.kid)).toEqual(['i2', 'i1']);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('with DATABASE_URL, a missing PORTICO_IDENTITY_KEYS stops start-up, is named, and says how to make one', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/db' });
    expect(() => resolveIdentityKeys(config)).toThrow(ConfigError);
    expect(() => resolveIdentityKeys(config)).toThrow(
      /PORTICO_IDENTITY_KEYS must be set.*generateKeyPairSync\('ed25519'\)/,
    );
    const configured = loadConfig({
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      PORTICO_IDENTITY_KEYS: `i1:${ed25519()}`,
    });
    expect(resolveIdentityKeys(configured)).toHaveLength(1);
  });

  test('processes that never handle identity assertions (the portal) are not made to configure them', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
      PORTICO_KEY_PEPPERS: `p1:${secret()}`,
      PORTICO_SECRET_KEYS: `k1:${secret()}`,
      PORTICO_OPERATOR_TOKEN: 'o'.repeat(40),
    });
    expect(() => resolveSecrets(config)).not.toThrow();
  });

  test('a damaged identity key in secrets.json stops start-up with the file named', () => {
    resolveSecrets(loadConfig({ PORTICO_DATA_DIR: dataDir }));
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    stored.identityKeys[0].privateKey = 'AAAA';
    fs.writeFileSync(file, JSON.stringify(stored));
    expect(() => resolveIdentityKeys(loadConfig({ PORTICO_DATA_DIR: dataDir }))).toThrow(
      new RegExp(`${LOCAL_SECRETS_FILE} holds a malformed identity key`),
    );
  });
});
