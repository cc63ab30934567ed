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
