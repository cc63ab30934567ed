// The one place that reads process.env: parses it once, fails fast with a readable message,
// and returns a frozen, typed configuration that main.ts passes down to everything else.
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const schema = z.object({
  PORTICO_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PORTICO_PG_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'lowercase letters, digits and _')
    .default('portico'),
  PORTICO_HOST: z.string().min(1).default('127.0.0.1'),
  PORTICO_CRM_PORT: port.default(8081),
  PORTICO_ORDERS_PORT: port.default(8082),
  PORTICO_ENTITLEMENTS_PORT: port.default(8083),
  PORTICO_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  PORTICO_SEED_DEMO: flag.default(true),
  PORTICO_LOG_LEVEL: logLevel.default('info'),
  PORTICO_TEST_LOG_LEVEL: logLevel.default('silent'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PORTICO_PROBLEM_BASE_URL: z.string().url().default('https://portico.dev/problems/'),
});

export type LogLevel = z.infer<typeof logLevel>;

export type Config = Readonly<{
  dataDir: string;
  databaseUrl: string | undefined;
  pgSchemaPrefix: string;
  host: string;
  ports: Readonly<{ crm: number; orders: number; entitlements: number }>;
  maxBodyBytes: number;
  seedDemo: boolean;
  logLevel: LogLevel;
  /** Log level of services started by tests (silent unless you are debugging one). */
  testLogLevel: LogLevel;
  redisUrl: string | undefined;
  problemBaseUrl: string;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a frozen Config or throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    dataDir: path.resolve(e.PORTICO_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    pgSchemaPrefix: e.PORTICO_PG_SCHEMA_PREFIX,
    host: e.PORTICO_HOST,
    ports: Object.freeze({
      crm: e.PORTICO_CRM_PORT,
      orders: e.PORTICO_ORDERS_PORT,
      entitlements: e.PORTICO_ENTITLEMENTS_PORT,
    }),
    maxBodyBytes: e.PORTICO_MAX_BODY_BYTES,
    seedDemo: e.PORTICO_SEED_DEMO,
    logLevel: e.PORTICO_LOG_LEVEL,
    testLogLevel: e.PORTICO_TEST_LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    problemBaseUrl: e.PORTICO_PROBLEM_BASE_URL.endsWith('/')
      ? e.PORTICO_PROBLEM_BASE_URL
      : `${e.PORTICO_PROBLEM_BASE_URL}/`,
  });
}
