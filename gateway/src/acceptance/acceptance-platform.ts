// The platform the acceptance matrix runs against: the three real backends, a recording proxy in front of each,
// and a test platform (control plane + gateway) whose upstreams are the recorders. The backends are started here
// rather than by startTestPlatform so that the recorders can sit between them and the gateway; both sides share
// one identity key, generated for the run, so the backends still verify every assertion the gateway signs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../internal/src/clock';
import { loadConfig } from '../../../internal/src/config';
import { generateIdentityKey, type IdentityKey } from '../../../internal/src/identity/identity-keys';
import { createLogger } from '../../../internal/src/logger';
import { runServices } from '../../../internal/src/service/run-services';
import { dropPostgresSchema, type Dialect } from '../../../internal/src/store/database';
import { PLATFORM_SERVICES } from '../../../bin/services';
import type { PublicApi } from '../routes';
import { startTestPlatform, type TestPlatform } from '../testing/test-platform';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

export interface AcceptancePlatform {
  platform: TestPlatform;
  /** What each backend was sent, in order. */
  recorders: Readonly<Record<PublicApi, RecordingProxy>>;
  /** The identity key the gateway signs with; its public half is what the backends verify. */
  identityKey: IdentityKey;
  /** The time of the gateway, the control plane and the backends alike: the system's, moved on by advance(). */
  clock: Clock & { advance(ms: number): void };
  stop(): Promise<void>;
}

export async function startAcceptancePlatform(options: {
  dialect: Dialect;
  redisUrl?: string;
}): Promise<AcceptancePlatform> {
  const base = loadConfig();
  const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-acceptance-'));
  const schemaPrefix = `t_acc_${runId}`;
  const identity = generateIdentityKey('acc1');
  const identityKeys = `acc1:${identity.encoded}`;
  const logger = createLogger({ level: base.testLogLevel, name: 'acceptance' });
  // One shifted timeline for every component, so that moving it (to expire a key) never skews one against another.
  let offsetMs = 0;
  const clock = {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms: number) => {
      offsetMs += ms;
    },
  };
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (options.dialect === 'postgres') {
    const url = requireDatabaseUrl(base.databaseUrl);
    cleanups.push(async () => {
      for (const service of PLATFORM_SERVICES)
        await dropPostgresSchema(url, `${schemaPrefix}_${service.name}`);
    });
  }
  try {
    const backendConfig = loadConfig({
      PORTICO_DATA_DIR: dataDir,
      PORTICO_PG_SCHEMA_PREFIX: schemaPrefix,
      PORTICO_LOG_LEVEL: base.testLogLevel,
      PORTICO_SEED_DEMO: 'false',
      PORTICO_CRM_PORT: '0',
      PORTICO_ORDERS_PORT: '0',
      PORTICO_ENTITLEMENTS_PORT: '0',
      PORTICO_IDENTITY_KEYS: identityKeys,
      ...(options.dialect === 'postgres' ? { DATABASE_URL: requireDatabaseUrl(base.databaseUrl) } : {}),
    });
    const backends = await runServices(PLATFORM_SERVICES, { config: backendConfig, logger, clock });
    cleanups.push(() => backends.stop());
    const recorderOf = async (name: PublicApi) => {
      const service = backends.services.find((s) => s.name === name);
      if (!service) throw new Error(`the platform runs no ${name} service`);
      const recorder = await startRecordingProxy(new URL(service.url).origin);
      cleanups.push(() => recorder.close());
      return recorder;
    };
    const recorders = {
      crm: await recorderOf('crm'),
      orders: await recorderOf('orders'),
      entitlements: await recorderOf('entitlements'),
    };
    const platform = await startTestPlatform({
      dialect: options.dialect,
      clock,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      upstreams: {
        crm: recorders.crm.origin,
        orders: recorders.orders.origin,
        entitlements: recorders.entitlements.origin,
      },
      env: { PORTICO_IDENTITY_KEYS: identityKeys },
    });
    cleanups.push(() => platform.stop());
    return { platform, recorders, identityKey: identity.key, clock, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function requireDatabaseUrl(url: string | undefined): string {
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}
