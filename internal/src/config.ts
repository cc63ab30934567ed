// The one place that reads process.env: parses it once, fails fast with a readable message,
// and returns a frozen, typed configuration that main.ts passes down to everything else.
import path from 'node:path';
import { z } from 'zod';
import {
  IDENTITY_KID_PATTERN,
  identityKeyFrom,
  type IdentityKey,
  type IdentityKeyRing,
} from './identity/identity-keys';

const port = z.coerce.number().int().min(0).max(65535);
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `id:secret,id:secret` — the first entry is current, the others are kept for rotation. */
const secretRing = z.string().transform((text, ctx) => {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, secret, ...rest] = part.split(':');
      return { id: id ?? '', secret: secret ?? '', extra: rest.length };
    });
  const ids = new Set<string>();
  for (const entry of entries) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(entry.id) || entry.secret === '' || entry.extra > 0) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be id:secret (id: letters, digits, _ or -)' });
    } else if (Buffer.from(entry.secret, 'base64url').length < 32) {
      ctx.addIssue({
        code: 'custom',
        message: `secret '${entry.id}' must be at least 32 bytes of base64url`,
      });
    } else if (ids.has(entry.id)) {
      ctx.addIssue({ code: 'custom', message: `id '${entry.id}' appears twice` });
    }
    ids.add(entry.id);
  }
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one id:secret' });
  return entries.map(({ id, secret }) => Object.freeze({ id, secret: Buffer.from(secret, 'base64url') }));
});

/** `kid:base64url-pkcs8,…` — Ed25519 private keys; the first signs identity assertions, all verify them. */
const identityKeyRing = z.string().transform((text, ctx): IdentityKeyRing => {
  const ring: IdentityKey[] = [];
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [kid = '', encoded = '', ...rest] = entry.split(':');
    if (!IDENTITY_KID_PATTERN.test(kid) || encoded === '' || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be kid:key (kid: letters, digits, _ or -)' });
    } else if (ring.some((key) => key.kid === kid)) {
      ctx.addIssue({ code: 'custom', message: `kid '${kid}' appears twice` });
    } else {
      try {
        ring.push(identityKeyFrom(kid, encoded));
      } catch (error) {
        // The reason only ("is not a PKCS#8 private key"), never the value: this message is printed.
        ctx.addIssue({ code: 'custom', message: `key '${kid}' ${(error as Error).message}` });
      }
    }
  }
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one kid:key' });
  return Object.freeze(ring);
});

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
  PORTICO_KEY_PEPPERS: secretRing.optional(),
  PORTICO_SECRET_KEYS: secretRing.optional(),
  PORTICO_OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  PORTICO_IDENTITY_KEYS: identityKeyRing.optional(),
  PORTICO_CRM_PORT: port.default(8081),
  PORTICO_ORDERS_PORT: port.default(8082),
  PORTICO_ENTITLEMENTS_PORT: port.default(8083),
  PORTICO_PORTAL_PORT: port.default(3000),
  PORTICO_GATEWAY_PORT: port.default(8080),
  PORTICO_GATEWAY_PUBLIC_URL: z.string().url().optional(),
  // Origins whose pages may call the gateway from a browser (the docs' try-it); `*` only when set explicitly.
  PORTICO_GATEWAY_CORS_ORIGINS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^(\*|https?:\/\/[^/\s*]+)$/, 'each origin is scheme://host[:port], no path, or *'),
        )
        .refine((list) => !list.includes('*') || list.length === 1, '* stands alone'),
    )
    .optional(),
  PORTICO_GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  // Below the identity assertion's 15 s of validity left when it is last handed out (internal/src/identity).
  PORTICO_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(14_000).default(10_000),
  PORTICO_CRM_URL: z.string().url().optional(),
  PORTICO_ORDERS_URL: z.string().url().optional(),
  PORTICO_ENTITLEMENTS_URL: z.string().url().optional(),
  PORTICO_RATE_LIMITS_ON_REDIS_ERROR: z.enum(['insurance', 'allow', 'deny']).default('insurance'),
  PORTICO_QUOTAS_ON_REDIS_ERROR: z.enum(['deny', 'allow']).default('deny'),
  PORTICO_IP_RATE_LIMIT: z.coerce.number().int().min(0).default(2_000),
  PORTICO_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(5_000).default(100),
  PORTICO_PORTAL_TRUSTED_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin is scheme://host[:port], no path'))),
  PORTICO_SECURE_COOKIES: flag.default(false),
  PORTICO_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),
  PORTICO_PORTAL_PUBLIC_URL: z.string().url().optional(),
  PORTICO_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'letters, digits and _ : . -')
    .default('portico'),
  PORTICO_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  PORTICO_SEED_DEMO: flag.default(true),
  PORTICO_LOG_LEVEL: logLevel.default('info'),
  PORTICO_TEST_LOG_LEVEL: logLevel.default('silent'),
  PORTICO_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  CI: z.string().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  // Default: the portal's problem pages (PORTICO_PORTAL_PUBLIC_URL + /docs/problems/), so `type` URLs resolve.
  PORTICO_PROBLEM_BASE_URL: z.string().url().optional(),
});

export type LogLevel = z.infer<typeof logLevel>;

/** A ring of secrets: the first is used for new values, all are accepted when reading old ones. */
export type SecretRing = ReadonlyArray<Readonly<{ id: string; secret: Buffer }>>;

export type Config = Readonly<{
  dataDir: string;
  databaseUrl: string | undefined;
  pgSchemaPrefix: string;
  host: string;
  /** Peppers of the keyed digests of credentials; undefined means "generate and keep under dataDir" (embedded only). */
  keyPeppers: SecretRing | undefined;
  /** AES-256-GCM keys for secrets stored encrypted (HMAC signing secrets, signing private keys). */
  secretKeys: SecretRing | undefined;
  /** Bearer token of the operator API. */
  operatorToken: string | undefined;
  /**
   * Ed25519 keys of the identity assertions the gateway signs for backends (the first signs, the public halves of all
   * verify); undefined means "generate and keep under dataDir" (embedded only). See internal/src/identity/README.md.
   */
  identityKeys: IdentityKeyRing | undefined;
  ports: Readonly<{ crm: number; orders: number; entitlements: number; portal: number; gateway: number }>;
  gateway: Readonly<{
    /** Where callers reach the gateway: the OAuth issuer (`iss`) and the scheme of signed requests' @authority. */
    publicUrl: string;
    /** Processes serving the gateway port (Node cluster); above 1, limits and nonces need REDIS_URL to be exact. */
    workers: number;
    /** Budget of a backend's response headers, retries included; past it the caller gets 504. */
    upstreamTimeoutMs: number;
    /** Base URL of each backend (default: the backends `npm start` runs, http://<host>:<port>). */
    upstreams: Readonly<{ crm: string; orders: string; entitlements: string }>;
    /** What rate limits do when Redis fails (gateway/src/policies/limits/limits-options.ts). */
    rateLimitsOnRedisError: 'insurance' | 'allow' | 'deny';
    /** What quotas do when Redis fails: deny (503 + Retry-After) or allow uncounted. */
    quotasOnRedisError: 'deny' | 'allow';
    /** Requests per second per client address, per gateway process, before authentication; 0 turns it off. */
    ipRateLimitPerSecond: number;
    /**
     * Origins allowed to call the gateway from browser pages (CORS, without credentials); default: the portal's.
     * `['*']` allows any origin.
     */
    corsOrigins: readonly string[];
    /** The longest a request waits on Redis in all (limits, nonces, idempotency) before their failure policies apply. */
    redisTimeoutMs: number;
  }>;
  /** Origins besides the portal's own that may send sign-up and sign-in (a UI served elsewhere). */
  portalTrustedOrigins: readonly string[];
  /** Where people open the portal, for links in emails (default: http://<host>:<portal port>). */
  portalPublicUrl: string;
  /** Express `trust proxy` for the portal: false, true, a hop count, or addresses/subnets ('loopback'). */
  trustProxy: boolean | number | string;
  /** Mark the session cookie Secure even when the request arrived over HTTP (TLS ends at a proxy in front). */
  secureCookies: boolean;
  /** Prefix of every Redis key and channel, so installations (and test runs) sharing a Redis never collide. */
  redisPrefix: string;
  maxBodyBytes: number;
  seedDemo: boolean;
  logLevel: LogLevel;
  /** Log level of services started by tests (silent unless you are debugging one). */
  testLogLevel: LogLevel;
  /** The browser the portal's browser tests drive (Debian's chromium). */
  chromiumPath: string;
  /** Set by CI (`CI=true`): suites that would skip for a missing tool fail instead. */
  ci: boolean;
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
  const portalPublicUrl = (
    e.PORTICO_PORTAL_PUBLIC_URL ?? `http://${e.PORTICO_HOST}:${e.PORTICO_PORTAL_PORT}`
  ).replace(/\/$/, '');
  const problemBaseUrl = e.PORTICO_PROBLEM_BASE_URL ?? `${portalPublicUrl}/docs/problems/`;
  return Object.freeze({
    dataDir: path.resolve(e.PORTICO_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    pgSchemaPrefix: e.PORTICO_PG_SCHEMA_PREFIX,
    host: e.PORTICO_HOST,
    keyPeppers: e.PORTICO_KEY_PEPPERS ? Object.freeze(e.PORTICO_KEY_PEPPERS) : undefined,
    secretKeys: e.PORTICO_SECRET_KEYS ? Object.freeze(e.PORTICO_SECRET_KEYS) : undefined,
    operatorToken: e.PORTICO_OPERATOR_TOKEN,
    identityKeys: e.PORTICO_IDENTITY_KEYS,
    ports: Object.freeze({
      crm: e.PORTICO_CRM_PORT,
      orders: e.PORTICO_ORDERS_PORT,
      entitlements: e.PORTICO_ENTITLEMENTS_PORT,
      portal: e.PORTICO_PORTAL_PORT,
      gateway: e.PORTICO_GATEWAY_PORT,
    }),
    gateway: Object.freeze({
      publicUrl: (
        e.PORTICO_GATEWAY_PUBLIC_URL ?? `http://${urlHost(e.PORTICO_HOST)}:${e.PORTICO_GATEWAY_PORT}`
      ).replace(/\/$/, ''),
      workers: e.PORTICO_GATEWAY_WORKERS,
      upstreamTimeoutMs: e.PORTICO_UPSTREAM_TIMEOUT_MS,
      upstreams: Object.freeze({
        crm: originOf(e.PORTICO_CRM_URL ?? `http://${urlHost(e.PORTICO_HOST)}:${e.PORTICO_CRM_PORT}`),
        orders: originOf(
          e.PORTICO_ORDERS_URL ?? `http://${urlHost(e.PORTICO_HOST)}:${e.PORTICO_ORDERS_PORT}`,
        ),
        entitlements: originOf(
          e.PORTICO_ENTITLEMENTS_URL ?? `http://${urlHost(e.PORTICO_HOST)}:${e.PORTICO_ENTITLEMENTS_PORT}`,
        ),
      }),
      rateLimitsOnRedisError: e.PORTICO_RATE_LIMITS_ON_REDIS_ERROR,
      quotasOnRedisError: e.PORTICO_QUOTAS_ON_REDIS_ERROR,
      ipRateLimitPerSecond: e.PORTICO_IP_RATE_LIMIT,
      redisTimeoutMs: e.PORTICO_REDIS_TIMEOUT_MS,
      corsOrigins: Object.freeze(e.PORTICO_GATEWAY_CORS_ORIGINS ?? portalOrigins(portalPublicUrl)),
    }),
    portalTrustedOrigins: Object.freeze(e.PORTICO_PORTAL_TRUSTED_ORIGINS),
    secureCookies: e.PORTICO_SECURE_COOKIES,
    trustProxy: e.PORTICO_TRUST_PROXY,
    portalPublicUrl,
    redisPrefix: e.PORTICO_REDIS_PREFIX,
    maxBodyBytes: e.PORTICO_MAX_BODY_BYTES,
    seedDemo: e.PORTICO_SEED_DEMO,
    logLevel: e.PORTICO_LOG_LEVEL,
    testLogLevel: e.PORTICO_TEST_LOG_LEVEL,
    chromiumPath: e.PORTICO_CHROMIUM_PATH,
    ci: e.CI === 'true' || e.CI === '1',
    redisUrl: e.REDIS_URL,
    problemBaseUrl: problemBaseUrl.endsWith('/') ? problemBaseUrl : `${problemBaseUrl}/`,
  });
}

/** The scheme, host and port of a URL (undici pools are per origin; the path comes from the request). */
function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * The portal's origin; on a loopback address also its other loopback spelling, because a person opens
 * http://localhost:3000 as often as the http://127.0.0.1:3000 that `npm start` prints, and the docs' try-it must
 * work from both.
 */
function portalOrigins(portalPublicUrl: string): string[] {
  const url = new URL(portalPublicUrl);
  const alias = { '127.0.0.1': 'localhost', localhost: '127.0.0.1' }[url.hostname];
  if (!alias) return [url.origin];
  const other = new URL(url.origin);
  other.hostname = alias;
  return [url.origin, other.origin];
}

/** An IPv6 host is bracketed in a URL (RFC 3986 §3.2.2). */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
