// Fills a fresh keys store with a production-shaped population for the verification benchmark: partners on the
// seeded plans with five apps each (one in five live, approved), twenty keys per app (the platform's per-app
// limit), one in twenty-five revoked. Most keys are filler with random digests; an evenly spread sample are real
// keys (generateApiKey, digested with the pepper ring as the management API stores them) for the benchmark to
// verify. One more partner, app and key are made through the store's own management functions, so the bulk rows
// can be checked against what the product writes.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../internal/src/store/database';
import { storedDigest } from '../../keys/src/domain/key-digest';
import { generateApiKey } from '../../keys/src/domain/key-format';
import type { Environment } from '../../keys/src/domain/environment';
import type { SecretRing } from '../../keys/src/domain/secret-ring';
import { createApiKey, MAX_ACTIVE_KEYS_PER_APP } from '../../keys/src/store/api-keys';
import { createApp } from '../../keys/src/store/apps';
import type { AuditContext } from '../../keys/src/store/audit-events';
import type { KeysStoreDeps } from '../../keys/src/store/deps';
import { createPartnerWithOwner } from '../../keys/src/store/partners';
import type { ApiKeysTable, AppsTable, PartnersTable } from '../../keys/src/store/schema';
import { ENTERPRISE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID } from '../../keys/src/store/seeded-plans';
import { bulkInsert } from './bulk-insert';

const APPS_PER_PARTNER = 5;
const LIVE_APP_EVERY = 5;
const REVOKED_KEY_EVERY = 25;
const PLAN_IDS = [FREE_PLAN_ID, FREE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID, ENTERPRISE_PLAN_ID];
const APP_SCOPES = JSON.stringify(['crm:read', 'crm:write', 'orders:read', 'orders:write']);
const KEY_SCOPES = JSON.stringify(['crm:read', 'orders:read']);
const KEY_NAMES = ['checkout', 'inventory sync', 'appointment reminders', 'nightly export', 'pharmacy till'];

/** A real key in the store, as its holder would present it. */
export interface IssuedKey {
  readonly key: string;
  readonly keyId: string;
}

export interface Population {
  /** Keys in api_keys, the hot key included. */
  readonly keys: number;
  readonly apps: number;
  readonly partners: number;
  /** Made through createPartnerWithOwner, createApp and createApiKey. */
  readonly hotKey: IssuedKey;
  /** Bulk-inserted real keys, spread evenly over the table, all valid. */
  readonly sample: readonly IssuedKey[];
}

export interface PopulateOptions {
  /** Bulk-inserted keys (the hot key comes on top). */
  rows: number;
  /** How many of them are real keys to verify. */
  sampleSize: number;
  peppers: SecretRing;
}

export async function populate(
  deps: KeysStoreDeps,
  dialect: Dialect,
  options: PopulateOptions,
  signal: AbortSignal,
): Promise<Population> {
  const hotKey = await issueThroughManagement(deps, options.peppers);
  const now = deps.clock.now().toISOString();
  const db = deps.db as unknown as Kysely<unknown>;

  const appCount = Math.ceil(options.rows / MAX_ACTIVE_KEYS_PER_APP);
  const partnerCount = Math.ceil(appCount / APPS_PER_PARTNER);
  const partnerIds = Array.from({ length: partnerCount }, () => deps.newId('prt'));
  const appIds = Array.from({ length: appCount }, () => deps.newId('app'));
  const partnerOfApp = (app: number) => partnerIds[Math.floor(app / APPS_PER_PARTNER)]!;
  const environmentOfApp = (app: number): Environment => (app % LIVE_APP_EVERY === 0 ? 'live' : 'test');

  await bulkInsert<PartnersTable>(
    db,
    dialect,
    {
      table: 'partners',
      columns: PARTNER_COLUMNS,
      count: partnerCount,
      row: (i) => ({
        id: partnerIds[i]!,
        name: `Lotus Pharmacy ${i}`,
        website: null,
        contact_email: `ops${i}@lotus-pharmacy.example`,
        country: 'CN',
        status: 'active',
        status_reason: null,
        plan_id: PLAN_IDS[i % PLAN_IDS.length]!,
        created_at: now,
        updated_at: now,
      }),
    },
    signal,
  );
  await bulkInsert<AppsTable>(
    db,
    dialect,
    {
      table: 'apps',
      columns: APP_COLUMNS,
      count: appCount,
      row: (i) => ({
        id: appIds[i]!,
        partner_id: partnerOfApp(i),
        name: `Clinic sync ${i}`,
        description: null,
        environment: environmentOfApp(i),
        status: 'active',
        status_reason: null,
        reviewed_at: environmentOfApp(i) === 'live' ? now : null,
        scopes: APP_SCOPES,
        metadata: '{}',
        created_by: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      }),
    },
    signal,
  );

  // Real keys at every stride-th row, spread over the whole table and its digest index; they are never revoked.
  const sampleSize = Math.min(options.sampleSize, options.rows);
  const stride = Math.floor(options.rows / sampleSize);
  const sample: IssuedKey[] = [];
  let random = Buffer.alloc(0);
  await bulkInsert<ApiKeysTable>(
    db,
    dialect,
    {
      table: 'api_keys',
      columns: KEY_COLUMNS,
      count: options.rows,
      row: (i) => {
        const app = Math.floor(i / MAX_ACTIVE_KEYS_PER_APP);
        const environment = environmentOfApp(app);
        const id = deps.newId('key');
        const real = i % stride === 0 && sample.length < sampleSize;
        let digest: string;
        let prefix: string;
        let last4: string;
        if (real) {
          const generated = generateApiKey(environment);
          digest = storedDigest(options.peppers, generated.key).digest;
          ({ prefix, last4 } = generated);
          sample.push({ key: generated.key, keyId: id });
        } else {
          // A random stand-in with the shape of an HMAC-SHA256 digest: 32 bytes in 43 base64url characters.
          if (random.length < 32) random = randomBytes(32 * 4096);
          digest = random.subarray(0, 32).toString('base64url');
          random = random.subarray(32);
          prefix = `ptc_${environment}_${digest.slice(0, 4)}`;
          last4 = digest.slice(-4);
        }
        return {
          id,
          partner_id: partnerOfApp(app),
          app_id: appIds[app]!,
          environment,
          name: KEY_NAMES[i % KEY_NAMES.length]!,
          digest,
          pepper_id: options.peppers.current.id,
          prefix,
          last4,
          scopes: KEY_SCOPES,
          expires_at: null,
          revoked_at: !real && i % REVOKED_KEY_EVERY === 0 ? now : null,
          rolled_from_id: null,
          replaced_by_id: null,
          last_used_at: null,
          created_by: null,
          created_at: now,
        };
      },
    },
    signal,
  );
  return { keys: options.rows + 1, apps: appCount + 1, partners: partnerCount + 1, hotKey, sample };
}

/** A partner, an app and a key made as the management API makes them (transactions, limits, audit events). */
async function issueThroughManagement(deps: KeysStoreDeps, peppers: SecretRing): Promise<IssuedKey> {
  const request = { requestId: 'req_bench', ip: null, userAgent: 'bench/keys-verify' };
  const { partner, owner } = await createPartnerWithOwner(
    deps,
    {
      partnerName: 'Jade Pharmacy',
      planId: PRO_PLAN_ID,
      owner: { name: 'Li Wei', email: 'li.wei@jadepharm.example', passwordHash: 'scrypt$bench' },
    },
    request,
  );
  const as: AuditContext = {
    ...request,
    actor: { type: 'member', memberId: owner.id, email: owner.email, personalTokenId: null },
  };
  const scope = { partnerId: partner.id };
  const app = await createApp(
    deps,
    scope,
    { name: 'Pharmacy POS', environment: 'test', scopes: ['crm:read', 'orders:read'] },
    as,
  );
  const generated = generateApiKey('test');
  const secret = {
    ...storedDigest(peppers, generated.key),
    prefix: generated.prefix,
    last4: generated.last4,
  };
  const apiKey = await createApiKey(deps, scope, app.id, { name: 'checkout', secret }, as);
  return { key: generated.key, keyId: apiKey.id };
}

/** Every column of a table, checked by the compiler: adding a column to the schema breaks the build here. */
function allColumns<Row>() {
  return <const C extends readonly (keyof Row & string)[]>(
    columns: C & ([Exclude<keyof Row, C[number]>] extends [never] ? unknown : never),
  ): C => columns;
}

const PARTNER_COLUMNS = allColumns<PartnersTable>()([
  'id',
  'name',
  'website',
  'contact_email',
  'country',
  'status',
  'status_reason',
  'plan_id',
  'created_at',
  'updated_at',
]);
const APP_COLUMNS = allColumns<AppsTable>()([
  'id',
  'partner_id',
  'name',
  'description',
  'environment',
  'status',
  'status_reason',
  'reviewed_at',
  'scopes',
  'metadata',
  'created_by',
  'created_at',
  'updated_at',
  'deleted_at',
]);
const KEY_COLUMNS = allColumns<ApiKeysTable>()([
  'id',
  'partner_id',
  'app_id',
  'environment',
  'name',
  'digest',
  'pepper_id',
  'prefix',
  'last4',
  'scopes',
  'expires_at',
  'revoked_at',
  'rolled_from_id',
  'replaced_by_id',
  'last_used_at',
  'created_by',
  'created_at',
]);
