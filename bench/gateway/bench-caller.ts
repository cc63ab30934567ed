// The caller every gateway benchmark sends: a plan whose limits never reject, a partner on it, a test app with every
// public scope and one API key, written into the control plane of `config` as the portal would write them (the same
// rows gateway/src/testing/test-platform.ts makes for tests).
import { systemClock } from '../../internal/src/clock';
import type { Config } from '../../internal/src/config';
import type { CallerIdentity } from '../../internal/src/identity/identity-assertion';
import { createIdGenerator } from '../../internal/src/ids';
import type { Logger } from '../../internal/src/logger';
import { createPepperRing, storedDigest } from '../../keys/src/domain/key-digest';
import { generateApiKey } from '../../keys/src/domain/key-format';
import { openControlPlane } from '../../keys/src/runtime/control-plane';
import { createApiKey } from '../../keys/src/store/api-keys';
import { createApp } from '../../keys/src/store/apps';
import { SYSTEM_CONTEXT, type AuditContext } from '../../keys/src/store/audit-events';
import type { KeysStoreDeps } from '../../keys/src/store/deps';
import { createPartnerWithOwner } from '../../keys/src/store/partners';
import { ALL_PUBLIC_SCOPES, insertPlan } from '../../gateway/src/testing/test-platform';

/** Far above anything one machine can send, so the plan counts every request and refuses none. */
const NEVER_REJECTING_LIMITS = {
  rateLimits: [{ name: 'burst', limit: 1_000_000_000, windowSeconds: 1 }],
  quotas: [{ name: 'day', limit: 1_000_000_000_000, period: 'day' as const }],
};

/** The identity the gateway asserts for this caller (so a direct request can carry the same one) and its key. */
export interface BenchCaller extends CallerIdentity {
  apiKey: string;
  planId: string;
}

export async function createBenchCaller(config: Config, logger: Logger): Promise<BenchCaller> {
  const controlPlane = await openControlPlane(config, logger);
  try {
    const clock = systemClock;
    const store: KeysStoreDeps = { db: controlPlane.database.db, clock, newId: createIdGenerator() };
    const planId = await insertPlan(store, NEVER_REJECTING_LIMITS, {
      code: `bench-${Date.now().toString(36)}`,
      name: 'Bench (never rejects)',
      description: 'Limits far above what a benchmark sends: every request is counted, none refused.',
    });
    const stamp = Date.now().toString(36);
    const { partner, owner } = await createPartnerWithOwner(
      store,
      {
        partnerName: `Bench partner ${stamp}`,
        planId,
        owner: { name: 'Bench', email: `bench-${stamp}@example.test`, passwordHash: 'scrypt$unused' },
      },
      SYSTEM_CONTEXT,
    );
    const context: AuditContext = {
      ...SYSTEM_CONTEXT,
      actor: { type: 'member', memberId: owner.id, email: owner.email, personalTokenId: null },
    };
    const environment = 'test';
    const app = await createApp(
      store,
      { partnerId: partner.id },
      { name: 'Bench app', environment, scopes: ALL_PUBLIC_SCOPES },
      context,
    );
    const generated = generateApiKey(environment);
    const peppers = createPepperRing(controlPlane.secrets.keyPeppers);
    const key = await createApiKey(
      store,
      { partnerId: partner.id },
      app.id,
      {
        name: 'bench key',
        secret: { ...storedDigest(peppers, generated.key), prefix: generated.prefix, last4: generated.last4 },
      },
      context,
    );
    return {
      scheme: 'apiKey',
      credentialId: key.id,
      appId: app.id,
      partnerId: partner.id,
      environment,
      scopes: ALL_PUBLIC_SCOPES,
      apiKey: generated.key,
      planId,
    };
  } finally {
    await controlPlane.close();
  }
}
