// Starts the whole data plane for a test the way `npm start` does: the three reference backends (verifying identity
// assertions), a control-plane store, and the gateway in front — real servers on port 0 — plus helpers that make
// partners, apps, keys and plans in the store as the portal would. SQLite or PostgreSQL, Redis when asked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../../internal/src/clock';
import { loadConfig, type Config } from '../../../internal/src/config';
import type { Environment } from '../../../internal/src/http/locals';
import { createIdGenerator } from '../../../internal/src/ids';
import { createLogger } from '../../../internal/src/logger';
import { generateIdentityKey } from '../../../internal/src/identity/identity-keys';
import { deleteRedisKeys } from '../../../internal/src/testing/test-redis';
import { runServices, type RunningPlatform } from '../../../internal/src/service/run-services';
import { dropPostgresSchema, type Dialect } from '../../../internal/src/store/database';
import { storedDigest } from '../../../keys/src/domain/key-digest';
import { createPepperRing } from '../../../keys/src/domain/key-digest';
import { generateApiKey } from '../../../keys/src/domain/key-format';
import { openControlPlane, type ControlPlane } from '../../../keys/src/runtime/control-plane';
import { createApiKey, revokeApiKey } from '../../../keys/src/store/api-keys';
import { createApp } from '../../../keys/src/store/apps';
import { SYSTEM_CONTEXT, type AuditContext } from '../../../keys/src/store/audit-events';
import type { KeysStoreDeps } from '../../../keys/src/store/deps';
import { createPartnerWithOwner } from '../../../keys/src/store/partners';
import type { PlanQuota, PlanRateLimit } from '../../../keys/src/store/plans';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../gateway-process';
import type { SpecRequestValidator } from '../policies/validate/spec-request-validator';
import { createSpecRequestValidator } from '../policies/validate/spec-request-validator';
import { PUBLIC_APIS } from '../routes';
import { SPECS_DIR } from '../gateway-process';
import { PLATFORM_SERVICES } from '../../../bin/services';

export const ALL_PUBLIC_SCOPES = PUBLIC_APIS.flatMap((api) => [`${api}:read`, `${api}:write`]);

export interface TestPlatformOptions {
  dialect: Dialect;
  /** Share limits, nonces, idempotency and invalidations through this Redis (REDIS_URL). */
  redisUrl?: string;
  /** Extra PORTICO_* settings for the gateway's configuration. */
  env?: Record<string, string>;
  clock?: Clock;
  /** Start no backends; the gateway's upstreams point at these origins instead. */
  upstreams?: { crm: string; orders: string; entitlements: string };
}

export interface TestCredential {
  partnerId: string;
  appId: string;
  environment: Environment;
  keyId: string;
  apiKey: string;
  planId: string;
}

export interface TestPlatform {
  gateway: RunningGateway;
  gatewayUrl: string;
  config: Config;
  controlPlane: ControlPlane;
  backends: RunningPlatform | undefined;
  store: KeysStoreDeps;
  /** A partner on `planId` (default: an unlimited test plan) with an app holding `scopes` and one API key. */
  partner(options?: {
    planId?: string;
    scopes?: string[];
    keyScopes?: string[];
    environment?: Environment;
    name?: string;
  }): Promise<TestCredential>;
  /** Another key of an existing app. */
  addKey(
    credential: TestCredential,
    options?: { scopes?: string[]; expiresAt?: string },
  ): Promise<TestCredential>;
  revoke(credential: TestCredential): Promise<void>;
  /** A plan with these limits (rate limits per second/minute, quotas per day/month). */
  plan(limits: { rateLimits?: PlanRateLimit[]; quotas?: PlanQuota[] }): Promise<string>;
  /** Starts another gateway process-alike on the same store and Redis (same config). */
  startAnotherGateway(options?: Partial<StartGatewayOptions>): Promise<RunningGateway>;
  stop(): Promise<void>;
}

let sharedValidator: Promise<SpecRequestValidator> | undefined;
/** Compiled once per test process: every gateway of a suite validates against the same specs. */
export function testValidator(): Promise<SpecRequestValidator> {
  sharedValidator ??= createSpecRequestValidator(SPECS_DIR, PUBLIC_APIS);
  return sharedValidator;
}

let partners = 0;

export async function startTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-gw-'));
  const base = loadConfig();
  const schemaPrefix = `t_${runId}`;
  const redisPrefix = `portico-test:gw:${runId}`;
  const common: Record<string, string> = {
    PORTICO_DATA_DIR: dataDir,
    PORTICO_PG_SCHEMA_PREFIX: schemaPrefix,
    PORTICO_REDIS_PREFIX: redisPrefix,
    PORTICO_LOG_LEVEL: base.testLogLevel,
    PORTICO_SEED_DEMO: 'true',
    ...(options.dialect === 'postgres' ? { DATABASE_URL: requireUrl(base.databaseUrl, 'DATABASE_URL') } : {}),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  };
  if (options.dialect === 'postgres') {
    // With DATABASE_URL the secrets must be configured; generate a set for this run.
    common.PORTICO_KEY_PEPPERS = `p1:${randomBytes(32).toString('base64url')}`;
    common.PORTICO_SECRET_KEYS = `s1:${randomBytes(32).toString('base64url')}`;
    common.PORTICO_OPERATOR_TOKEN = randomBytes(32).toString('base64url');
    common.PORTICO_IDENTITY_KEYS = `k1:${generateIdentityKey('k1').encoded}`;
  }
  const logger = createLogger({ level: base.testLogLevel, name: 'test-gateway' });
  const clock = options.clock ?? systemClock;
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (options.dialect === 'postgres') {
    cleanups.push(async () => {
      for (const service of ['keys', 'crm', 'orders', 'entitlements']) {
        await dropPostgresSchema(base.databaseUrl!, `${schemaPrefix}_${service}`);
      }
    });
  }
  if (options.redisUrl) {
    const url = options.redisUrl;
    cleanups.push(() => deleteRedisKeys(url, redisPrefix));
  }
  try {
    let backends: RunningPlatform | undefined;
    let upstreams = options.upstreams;
    if (!upstreams) {
      const backendConfig = loadConfig({
        ...common,
        PORTICO_CRM_PORT: '0',
        PORTICO_ORDERS_PORT: '0',
        PORTICO_ENTITLEMENTS_PORT: '0',
        PORTICO_SEED_DEMO: 'false',
      });
      const running = await runServices(PLATFORM_SERVICES, { config: backendConfig, logger, clock });
      backends = running;
      cleanups.push(() => running.stop());
      const urlOf = (name: string) => new URL(running.services.find((s) => s.name === name)!.url).origin;
      upstreams = { crm: urlOf('crm'), orders: urlOf('orders'), entitlements: urlOf('entitlements') };
    }
    const config = loadConfig({
      ...common,
      PORTICO_CRM_URL: upstreams.crm,
      PORTICO_ORDERS_URL: upstreams.orders,
      PORTICO_ENTITLEMENTS_URL: upstreams.entitlements,
      ...options.env,
    });
    const controlPlane = await openControlPlane(config, logger);
    cleanups.push(() => controlPlane.close());
    const validator = await testValidator();
    const gatewayOptions: StartGatewayOptions = { config, logger, clock, controlPlane, validator, port: 0 };
    const gateway = await startGateway(gatewayOptions);
    cleanups.push(() => gateway.stop({ graceMs: 2_000 }));

    const newId = createIdGenerator(() => clock.now().getTime());
    const store: KeysStoreDeps = { db: controlPlane.database.db, clock, newId };
    const peppers = createPepperRing(controlPlane.secrets.keyPeppers);
    const unlimited = await insertPlan(store, {
      rateLimits: [{ name: 'burst', limit: 1_000_000, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 100_000_000, period: 'day' }],
    });

    const newKey = async (
      scope: { partnerId: string },
      appId: string,
      environment: Environment,
      context: AuditContext,
      extra: { scopes?: string[]; expiresAt?: string },
    ) => {
      const generated = generateApiKey(environment);
      const key = await createApiKey(
        store,
        scope,
        appId,
        {
          name: 'test key',
          secret: {
            ...storedDigest(peppers, generated.key),
            prefix: generated.prefix,
            last4: generated.last4,
          },
          ...(extra.scopes ? { scopes: extra.scopes } : {}),
          ...(extra.expiresAt ? { expiresAt: extra.expiresAt } : {}),
        },
        context,
      );
      return { keyId: key.id, apiKey: generated.key };
    };

    const platform: TestPlatform = {
      gateway,
      gatewayUrl: gateway.url,
      config,
      controlPlane,
      backends,
      store,
      async partner(given = {}) {
        const environment = given.environment ?? 'test';
        const planId = given.planId ?? unlimited;
        partners += 1;
        const { partner, owner } = await createPartnerWithOwner(
          store,
          {
            partnerName: given.name ?? `Test partner ${partners}`,
            planId,
            owner: {
              name: 'Owner',
              email: `owner-${runId}-${partners}@example.test`,
              passwordHash: 'scrypt$unused',
            },
          },
          SYSTEM_CONTEXT,
        );
        const context = memberContextOf(owner);
        const app = await createApp(
          store,
          { partnerId: partner.id },
          { name: 'Test app', environment, scopes: given.scopes ?? ALL_PUBLIC_SCOPES },
          context,
        );
        if (environment === 'live') {
          await store.db.updateTable('apps').set({ status: 'active' }).where('id', '=', app.id).execute();
        }
        const key = await newKey({ partnerId: partner.id }, app.id, environment, context, {
          ...(given.keyScopes ? { scopes: given.keyScopes } : {}),
        });
        return { partnerId: partner.id, appId: app.id, environment, planId, ...key };
      },
      async addKey(credential, extra = {}) {
        const key = await newKey(
          { partnerId: credential.partnerId },
          credential.appId,
          credential.environment,
          SYSTEM_CONTEXT,
          extra,
        );
        return { ...credential, ...key };
      },
      async revoke(credential) {
        await revokeApiKey(
          store,
          { partnerId: credential.partnerId },
          credential.appId,
          credential.keyId,
          SYSTEM_CONTEXT,
        );
        await controlPlane.invalidations.publish({ type: 'credential', credentialId: credential.keyId });
      },
      plan: (limits) => insertPlan(store, limits),
      async startAnotherGateway(extra = {}) {
        const another = await startGateway({ ...gatewayOptions, ...extra });
        cleanups.push(() => another.stop({ graceMs: 2_000 }));
        return another;
      },
      stop,
    };
    return platform;
  } catch (error) {
    await stop();
    throw error;
  }
}

function memberContextOf(owner: { id: string; email: string }): AuditContext {
  return {
    ...SYSTEM_CONTEXT,
    actor: { type: 'member', memberId: owner.id, email: owner.email, personalTokenId: null },
  };
}

let plans = 0;
/** Inserts a private plan with these limits, as an operator would; returns its id. */
export async function insertPlan(
  store: KeysStoreDeps,
  limits: { rateLimits?: PlanRateLimit[]; quotas?: PlanQuota[] },
  label: { code?: string; name?: string; description?: string } = {},
): Promise<string> {
  const id = store.newId('pln');
  const now = store.clock.now().toISOString();
  plans += 1;
  await store.db
    .insertInto('plans')
    .values({
      id,
      code: label.code ?? `test-${plans}-${id.slice(-6).toLowerCase()}`,
      name: label.name ?? `Test plan ${plans}`,
      description: label.description ?? 'A plan made by a test.',
      offered: 0,
      rate_limits: JSON.stringify(limits.rateLimits ?? []),
      quotas: JSON.stringify(limits.quotas ?? []),
      apis: JSON.stringify([...PUBLIC_APIS]),
      scopes: JSON.stringify(ALL_PUBLIC_SCOPES),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

function requireUrl(url: string | undefined, name: string): string {
  if (!url) throw new Error(`${name} is not set`);
  return url;
}
