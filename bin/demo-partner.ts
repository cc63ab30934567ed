// The demo partner `npm start` seeds on its first start: a partner whose id is the one the backends' demo data
// belongs to (prt_demo), its owner, a test app with every public scope, and one test API key — shown once, and kept
// for the examples in the data directory when the installation runs on its embedded defaults.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../internal/src/clock';
import type { IdGenerator } from '../internal/src/ids';
import { DEMO_SCOPE } from '../internal/src/service/run-services';
import { storedDigest } from '../keys/src/domain/key-digest';
import type { SecretRing } from '../keys/src/domain/secret-ring';
import { generateApiKey } from '../keys/src/domain/key-format';
import { hashPassword } from '../keys/src/domain/password';
import type { ControlPlane } from '../keys/src/runtime/control-plane';
import { createApiKey } from '../keys/src/store/api-keys';
import { createApp } from '../keys/src/store/apps';
import { SYSTEM_CONTEXT } from '../keys/src/store/audit-events';
import { createPartnerWithOwner, findPartner } from '../keys/src/store/partners';
import { PRO_PLAN_ID, SEEDED_PLANS } from '../keys/src/store/seeded-plans';

export const DEMO_OWNER_EMAIL = 'demo@portico.invalid';

/** Where, in the data directory, the demo partner's test credentials are kept for the examples (examples/README.md). */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

export type DemoPartner =
  | { created: false; partnerId: string }
  | {
      created: true;
      partnerId: string;
      appId: string;
      apiKey: string;
      ownerEmail: string;
      ownerPassword: string;
    };

/** Seeds the demo partner unless it exists; the key and the owner's password are returned only when just made. */
export async function ensureDemoPartner(
  controlPlane: ControlPlane,
  deps: { clock: Clock; newId: IdGenerator; peppers: SecretRing },
): Promise<DemoPartner> {
  const store = {
    db: controlPlane.database.db,
    clock: deps.clock,
    // The backends' demo records belong to DEMO_SCOPE.partnerId: the seeded partner must carry that id.
    newId: ((prefix: string) =>
      prefix === 'prt' ? DEMO_SCOPE.partnerId : deps.newId(prefix)) as IdGenerator,
  };
  if (await findPartner(store, DEMO_SCOPE.partnerId))
    return { created: false, partnerId: DEMO_SCOPE.partnerId };

  const ownerPassword = randomBytes(12).toString('base64url');
  const { partner, owner } = await createPartnerWithOwner(
    store,
    {
      partnerName: 'Demo Pharmacy',
      planId: PRO_PLAN_ID,
      owner: { name: 'Demo Owner', email: DEMO_OWNER_EMAIL, passwordHash: await hashPassword(ownerPassword) },
    },
    SYSTEM_CONTEXT,
  );
  const context = {
    ...SYSTEM_CONTEXT,
    actor: { type: 'member' as const, memberId: owner.id, email: owner.email, personalTokenId: null },
  };
  const plan = SEEDED_PLANS.find((p) => p.id === PRO_PLAN_ID)!;
  const app = await createApp(
    store,
    { partnerId: partner.id },
    {
      name: 'Demo app',
      description: 'Seeded by npm start: a test app with every public scope.',
      environment: DEMO_SCOPE.environment,
      scopes: JSON.parse(plan.scopes) as string[],
    },
    context,
  );
  const generated = generateApiKey(DEMO_SCOPE.environment);
  await createApiKey(
    store,
    { partnerId: partner.id },
    app.id,
    {
      name: 'Demo key',
      secret: {
        ...storedDigest(deps.peppers, generated.key),
        prefix: generated.prefix,
        last4: generated.last4,
      },
    },
    context,
  );
  return {
    created: true,
    partnerId: partner.id,
    appId: app.id,
    apiKey: generated.key,
    ownerEmail: DEMO_OWNER_EMAIL,
    ownerPassword,
  };
}

/** What DEMO_CREDENTIALS_FILE holds; examples/quickstart.ts reads `gatewayUrl` and `apiKey`. */
export interface DemoCredentials {
  about: string;
  partnerId: string;
  appId: string;
  environment: 'test';
  gatewayUrl: string;
  apiKey: string;
}

/**
 * Keeps the just-created demo key in <dataDir>/demo-credentials.json (mode 0600) so that the examples run without
 * copying it from the banner, after a restart too. Only a test key of the demo tenant, and only where secrets.json —
 * which holds the operator token and the key peppers, far more than this key — already sits in the same directory
 * under the same protection: it adds no secret at rest that the data directory did not already guard.
 * Replaces a file left from an earlier demo partner (whose key no longer exists), atomically by a rename.
 */
export function saveDemoCredentials(
  dataDir: string,
  demo: { partnerId: string; appId: string; apiKey: string; gatewayUrl: string },
): string {
  // A live key must never be written to disk by a convenience: refuse rather than trust the caller.
  if (!demo.apiKey.startsWith('ptc_test_')) throw new Error('only a test key is kept for the examples');
  const credentials: DemoCredentials = {
    about:
      'The test API key of the demo partner `npm start` seeded, kept so that `npm run example:quickstart` works ' +
      'without copying it. Test environment and demo data only; revoke the key in the portal to disable it.',
    partnerId: demo.partnerId,
    appId: demo.appId,
    environment: 'test',
    gatewayUrl: demo.gatewayUrl,
    apiKey: demo.apiKey,
  };
  const file = path.join(dataDir, DEMO_CREDENTIALS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  fs.renameSync(temporary, file);
  return file;
}
