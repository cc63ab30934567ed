// Demo data for a tenant: a clinic's catalogue of services and goods, three published packages and a draft, and —
// when the CRM seeder has made a customer — a grant with a few redemptions. Idempotent: a tenant that already has a
// catalogue is left alone, and the ids of its demo records are returned as they are.
import type { DemoRefs, SeedDeps } from '../../../internal/src/service/service-module';
import type { TenantScope } from '../../../internal/src/store/query-helpers';
import type { EntitlementsStoreDeps } from './store/deps';
import { createGrant } from './store/grants';
import { createItem, type ItemInput } from './store/items';
import { createPackage, transitionPackage } from './store/packages';
import { createRedemption } from './store/redemptions';
import type { EntitlementsTables } from './store/schema';

export type { DemoRefs };

const FAMILY_CARE = 'Family Care Annual';
const SENIOR_WELLNESS = 'Senior Wellness Quarterly';
const FLU_SEASON = 'Flu Season Protection';

const CATALOGUE = {
  consultation: {
    type: 'service',
    name: 'Family doctor consultation',
    description: 'A 20-minute consultation with the family doctor, at the clinic or by video.',
    category: 'family_doctor',
    unit: 'session',
  },
  healthCheck: {
    type: 'service',
    name: 'Annual health check',
    description: 'Physical examination, ECG and abdominal ultrasound, with a written report.',
    category: 'health_check',
    unit: 'visit',
  },
  labTest: {
    type: 'service',
    name: 'Blood test panel',
    description: 'Blood count, lipids, fasting glucose, liver and kidney function.',
    category: 'lab_test',
    unit: 'test',
  },
  flu: { type: 'service', name: 'Influenza vaccination', category: 'vaccination', unit: 'dose' },
  physio: {
    type: 'service',
    name: 'Physiotherapy session',
    description: '45 minutes of rehabilitation with a physiotherapist.',
    category: 'physiotherapy',
    unit: 'session',
  },
  onlineCare: {
    type: 'service',
    name: 'Online doctor access',
    description: 'Unlimited text consultations with a general practitioner for a month.',
    category: 'consultation',
    unit: 'month',
  },
  monitor: {
    type: 'goods',
    name: 'Upper-arm blood pressure monitor',
    category: 'medical_device',
    unit: 'piece',
    sku: 'BPM-ARM-100',
    metadata: { supplier: 'Kangning Medical' },
  },
  strips: {
    type: 'goods',
    name: 'Glucose test strips, box of 50',
    category: 'test_kit',
    unit: 'box',
    sku: 'GLU-STRIP-50',
  },
  firstAid: {
    type: 'goods',
    name: 'Home first-aid kit',
    category: 'first_aid',
    unit: 'kit',
    sku: 'KIT-FA-01',
  },
} satisfies Record<string, ItemInput>;

export async function seedEntitlementsDemo(
  deps: SeedDeps<EntitlementsTables>,
  scope: TenantScope,
  refs: DemoRefs,
): Promise<DemoRefs> {
  const existing = await deps.db
    .selectFrom('items')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { ...refs, ...(await existingRefs(deps, scope)) };

  const items = {} as Record<keyof typeof CATALOGUE, string>;
  for (const [role, input] of Object.entries(CATALOGUE) as Array<[keyof typeof CATALOGUE, ItemInput]>) {
    items[role] = (await createItem(deps, scope, input)).id;
  }

  const publish = async (input: Parameters<typeof createPackage>[2]) => {
    const draft = await createPackage(deps, scope, input);
    return (await transitionPackage(deps, scope, draft.id, 'activate')).id;
  };
  const familyCare = await publish({
    name: FAMILY_CARE,
    description:
      'A year of family-doctor care for one household member, with a check-up, lab tests and a monitor.',
    items: [
      { itemId: items.consultation, quantity: 12 },
      { itemId: items.healthCheck, quantity: 1 },
      { itemId: items.labTest, quantity: 2 },
      { itemId: items.monitor, quantity: 1 },
    ],
    price: { amount: 299900, currency: 'CNY' },
    validity: { kind: 'rolling', days: 365 },
  });
  const seniorWellness = await publish({
    name: SENIOR_WELLNESS,
    description: 'Three months of physiotherapy and prevention for customers over 60.',
    items: [
      { itemId: items.physio, quantity: 6 },
      { itemId: items.healthCheck, quantity: 1 },
      { itemId: items.flu, quantity: 1 },
      { itemId: items.strips, quantity: 2 },
    ],
    price: { amount: 159900, currency: 'CNY' },
    validity: { kind: 'rolling', days: 90 },
  });
  const now = deps.clock.now();
  const fluSeason = await publish({
    name: FLU_SEASON,
    description: 'One influenza vaccination during the coming flu season.',
    items: [{ itemId: items.flu, quantity: 1 }],
    price: { amount: 12800, currency: 'CNY' },
    validity: {
      kind: 'fixed',
      validFrom: now.toISOString(),
      validUntil: new Date(now.getTime() + 180 * 86_400_000).toISOString(),
    },
  });
  // A draft, to show the lifecycle: not grantable until it is published.
  await createPackage(deps, scope, {
    name: 'Chronic Care Monthly',
    description: 'Online doctor access and test strips for customers managing diabetes.',
    items: [
      { itemId: items.onlineCare, quantity: 1 },
      { itemId: items.strips, quantity: 1 },
      { itemId: items.firstAid, quantity: 1 },
    ],
    price: { amount: 19900, currency: 'CNY' },
    validity: { kind: 'rolling', days: 30 },
  });

  const seeded: DemoRefs = {
    packageId: familyCare,
    seniorPackageId: seniorWellness,
    fluPackageId: fluSeason,
    itemId: items.consultation,
  };
  if (refs.customerId) {
    const grant = await createGrant(deps, scope, {
      customerId: refs.customerId,
      packageId: familyCare,
      ...(refs.orderId ? { orderId: refs.orderId } : {}),
      note: 'Demo grant.',
    });
    await createRedemption(deps, scope, grant.id, {
      itemId: items.monitor,
      quantity: 1,
      note: 'Monitor handed over at the front desk.',
    });
    await createRedemption(deps, scope, grant.id, {
      itemId: items.consultation,
      quantity: 1,
      note: 'First consultation: blood pressure follow-up.',
      externalRef: 'demo-appt-0001',
    });
    seeded.grantId = grant.id;
  }
  return { ...refs, ...seeded };
}

/** The ids a previous run seeded, found again by their names. */
async function existingRefs(deps: EntitlementsStoreDeps, scope: TenantScope): Promise<DemoRefs> {
  const packages = await deps.db
    .selectFrom('packages')
    .select(['id', 'name'])
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('name', 'in', [FAMILY_CARE, SENIOR_WELLNESS, FLU_SEASON])
    .orderBy('id')
    .execute();
  const byName = new Map(packages.map((p) => [p.name, p.id]));
  const found: DemoRefs = {};
  const familyCare = byName.get(FAMILY_CARE);
  if (familyCare) found.packageId = familyCare;
  const senior = byName.get(SENIOR_WELLNESS);
  if (senior) found.seniorPackageId = senior;
  const flu = byName.get(FLU_SEASON);
  if (flu) found.fluPackageId = flu;
  const item = await deps.db
    .selectFrom('items')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('name', '=', CATALOGUE.consultation.name)
    .orderBy('id')
    .executeTakeFirst();
  if (item) found.itemId = item.id;
  if (familyCare) {
    const grant = await deps.db
      .selectFrom('grants')
      .select('id')
      .where('partner_id', '=', scope.partnerId)
      .where('environment', '=', scope.environment)
      .where('package_id', '=', familyCare)
      .orderBy('id')
      .executeTakeFirst();
    if (grant) found.grantId = grant.id;
  }
  return found;
}
