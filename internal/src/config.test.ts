import { generateKeyPairSync, sign, verify } from 'node:crypto';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  test('the embedded defaults need no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      redisUrl: undefined,
      host: '127.0.0.1',
      ports: { crm: 8081, orders: 8082, entitlements: 8083 },
      maxBodyBytes: 1024 * 1024,
      seedDemo: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ports)).toBe(true);
  });

  test('reads the documented variables', () => {
    const config = loadConfig({
      PORTICO_DATA_DIR: '/tmp/x',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PORTICO_CRM_PORT: '0',
      PORTICO_SEED_DEMO: 'false',
      PORTICO_PROBLEM_BASE_URL: 'https://docs.example.com/problems',
    });
    expect(config.dataDir).toBe('/tmp/x');
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(config.ports.crm).toBe(0);
    expect(config.seedDemo).toBe(false);
    expect(config.problemBaseUrl).toBe('https://docs.example.com/problems/');
  });

  test('problem types resolve on the portal and the gateway admits the portal origin, unless configured', () => {
    const defaults = loadConfig({ PORTICO_PORTAL_PUBLIC_URL: 'https://dev.example.com/' });
    expect(defaults.problemBaseUrl).toBe('https://dev.example.com/docs/problems/');
    expect(defaults.gateway.corsOrigins).toEqual(['https://dev.example.com']);
    expect(loadConfig({}).problemBaseUrl).toBe('http://127.0.0.1:3000/docs/problems/');
    expect(loadConfig({}).gateway.corsOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
    expect(loadConfig({ PORTICO_PORTAL_PUBLIC_URL: 'http://localhost:4000' }).gateway.corsOrigins).toEqual([
      'http://localhost:4000',
      'http://127.0.0.1:4000',
    ]);
    const set = loadConfig({ PORTICO_GATEWAY_CORS_ORIGINS: 'https://a.example, http://b.example:8000/' });
    expect(set.gateway.corsOrigins).toEqual(['https://a.example', 'http://b.example:8000']);
    expect(loadConfig({ PORTICO_GATEWAY_CORS_ORIGINS: '*' }).gateway.corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ PORTICO_GATEWAY_CORS_ORIGINS: 'https://a.example/path' })).toThrow(
      /PORTICO_GATEWAY_CORS_ORIGINS/,
    );
    expect(() => loadConfig({ PORTICO_GATEWAY_CORS_ORIGINS: '*, https://a.example' })).toThrow(
      /stands alone/,
    );
  });

  test('an empty DATABASE_URL means the embedded store', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  test('fails fast with every problem listed by variable name', () => {
    expect(() =>
      loadConfig({ PORTICO_CRM_PORT: 'eighty', DATABASE_URL: 'mysql://x', PORTICO_SEED_DEMO: 'maybe' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ PORTICO_CRM_PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORTICO_CRM_PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    }
  });
});

describe('PORTICO_IDENTITY_KEYS', () => {
  const ed25519 = () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');

  test('reads kid:key entries in ring order and derives each public key', () => {
    const config = loadConfig({ PORTICO_IDENTITY_KEYS: ` i2:${ed25519()}, i1:${ed25519()} ` });
    expect(config.identityKeys?.map((k) => k.kid)).toEqual(['i2', 'i1']);
    const [current] = config.identityKeys!;
    const signature = sign(null, Buffer.from('x'), current!.privateKey);
    expect(verify(null, Buffer.from('x'), current!.publicKey, signature)).toBe(true);
    expect(Object.isFrozen(config.identityKeys)).toBe(true);
  });

  test('is optional: unset means generated on the embedded defaults (internal/src/secrets.ts)', () => {
    expect(loadConfig({}).identityKeys).toBeUndefined();
  });

  test.each([
    ['a kid without a key', 'i1', 'each entry must be kid:key'],
    ['a kid with a space', `bad kid:${'A'.repeat(64)}`, 'each entry must be kid:key'],
    ['a key that is no key', 'i1:not-a-key', "key 'i1' is not a PKCS#8 private key"],
    ['base64 instead of base64url', 'i1:a+b/c=', "key 'i1' must be base64url"],
    [
      'a P-256 key',
      `i1:${generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url')}`,
      "key 'i1' must be an Ed25519 key, not ec",
    ],
    ['a kid twice', `i1:${ed25519()},i1:${ed25519()}`, "kid 'i1' appears twice"],
    ['no entry', ',', 'needs at least one kid:key'],
  ])('refuses %s with a readable reason', (_label, value, reason) => {
    expect(() => loadConfig({ PORTICO_IDENTITY_KEYS: value })).toThrow(reason);
  });

  test('never prints the key it refuses', () => {
    const key = ed25519().slice(0, 40);
    expect(() => loadConfig({ PORTICO_IDENTITY_KEYS: `i1:${key}` })).toThrow(ConfigError);
    try {
      loadConfig({ PORTICO_IDENTITY_KEYS: `i1:${key}` });
    } catch (error) {
      expect((error as Error).message).not.toContain(key);
    }
  });
});
