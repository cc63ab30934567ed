// Demo data for a fresh tenant: a few clinics, a pharmacy chain and a person, their contacts, leads at every
// status, opportunities along the pipeline and a timeline of activities. Idempotent: a tenant that already has
// customers or leads is left alone, and the ids of its oldest records are returned instead.
import type { Clock } from '../../../internal/src/clock';
import type { DemoRefs, SeedDeps } from '../../../internal/src/service/service-module';
import type { TenantScope } from '../../../internal/src/store/query-helpers';
import { createActivity, completeActivity } from './store/activities';
import { createContact } from './store/contacts';
import { createCustomer, type CrmStoreDeps } from './store/customers';
import { createLead, updateLead } from './store/leads';
import { createOpportunity, updateOpportunity } from './store/opportunities';
import type { CrmTables } from './store/schema';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function seedCrmDemo(
  deps: SeedDeps<CrmTables>,
  scope: TenantScope,
  refs: DemoRefs,
): Promise<DemoRefs> {
  const existing = await existingRefs(deps, scope);
  if (existing) return { ...refs, ...existing };

  const now = deps.clock.now().getTime();
  // Each step runs "some days ago", so timestamps and stage histories read like a real journey.
  const daysAgo = (days: number): CrmStoreDeps => ({ ...deps, clock: fixedClock(now - days * DAY_MS) });
  const at = (days: number) => new Date(now - days * DAY_MS).toISOString();

  const sunrise = await createCustomer(daysAgo(60), scope, {
    kind: 'organization',
    name: 'Sunrise Family Clinic',
    email: 'contact@sunrise-clinic.example',
    phone: '+86 21 5555 0100',
    tags: ['clinic', 'shanghai'],
    metadata: { district: 'Xuhui' },
  });
  const director = await createContact(daysAgo(60), scope, sunrise.id, {
    name: 'Dr. Zhang Min',
    title: 'Clinic Director',
    email: 'zhang.min@sunrise-clinic.example',
    phone: '+86 138 0013 8000',
    wechatId: 'zhangmin_sunrise',
    isPrimary: true,
  });
  await createContact(daysAgo(58), scope, sunrise.id, {
    name: 'Wang Fang',
    title: 'Head Nurse',
    phone: '+86 139 1234 5678',
  });

  const kangning = await createCustomer(daysAgo(30), scope, {
    kind: 'organization',
    name: 'Kangning Pharmacy Chain',
    email: 'purchasing@kangning-pharmacy.example',
    phone: '+86 20 8888 0200',
    tags: ['pharmacy', 'guangzhou'],
  });
  const buyer = await createContact(daysAgo(30), scope, kangning.id, {
    name: 'Chen Jing',
    title: 'Purchasing Manager',
    wechatId: 'chenjing_kn',
    isPrimary: true,
  });

  const liWei = await createCustomer(daysAgo(12), scope, {
    kind: 'person',
    name: 'Li Wei',
    email: 'li.wei@example.com',
    lifecycleStage: 'lead',
    tags: ['vip'],
  });

  // Sunrise: an annual health-check deal already won, and a chronic-care deal at proposal.
  const checkups = await createOpportunity(daysAgo(55), scope, {
    customerId: sunrise.id,
    contactId: director.id,
    name: 'Annual staff health checks 2026',
    amount: { amount: 3_600_000, currency: 'CNY' },
    expectedCloseDate: at(40).slice(0, 10),
  });
  await updateOpportunity(daysAgo(50), scope, checkups.id, { stage: 'proposal' });
  await updateOpportunity(daysAgo(42), scope, checkups.id, { stage: 'won' });
  const chronicCare = await createOpportunity(daysAgo(20), scope, {
    customerId: sunrise.id,
    contactId: director.id,
    name: 'Diabetes follow-up service packages 2027',
    amount: { amount: 12_800_000, currency: 'CNY' },
    expectedCloseDate: at(-45).slice(0, 10),
  });
  await updateOpportunity(daysAgo(14), scope, chronicCare.id, { stage: 'needs_analysis' });
  await updateOpportunity(daysAgo(5), scope, chronicCare.id, { stage: 'proposal' });
  const pilot = await createOpportunity(daysAgo(25), scope, {
    customerId: kangning.id,
    contactId: buyer.id,
    name: 'Pharmacist consultation pilot, 12 stores',
    amount: { amount: 4_500_000, currency: 'CNY' },
    expectedCloseDate: at(-60).slice(0, 10),
  });

  await createActivity(daysAgo(14), scope, {
    customerId: sunrise.id,
    contactId: director.id,
    opportunityId: chronicCare.id,
    type: 'visit',
    subject: 'On-site needs analysis with the clinic director',
    content:
      'About 500 diabetic patients; they want monthly glucose follow-ups and a nutrition consultation.',
    occurredAt: at(14),
  });
  await createActivity(daysAgo(5), scope, {
    customerId: sunrise.id,
    contactId: director.id,
    opportunityId: chronicCare.id,
    type: 'email',
    subject: 'Proposal v1 sent',
    occurredAt: at(5),
  });
  await createActivity(daysAgo(5), scope, {
    customerId: sunrise.id,
    contactId: director.id,
    opportunityId: chronicCare.id,
    type: 'follow_up',
    subject: 'Call about the proposal and the pricing for 500 patients',
    dueAt: at(-2),
  });
  await createActivity(daysAgo(24), scope, {
    customerId: kangning.id,
    contactId: buyer.id,
    opportunityId: pilot.id,
    type: 'wechat_message',
    subject: 'Shared the pilot brochure',
    content: 'Chen Jing will forward it to the regional managers.',
    occurredAt: at(24),
  });
  const firstCall = await createActivity(daysAgo(28), scope, {
    customerId: kangning.id,
    contactId: buyer.id,
    type: 'follow_up',
    subject: 'Introductory call with purchasing',
    dueAt: at(26),
  });
  await completeActivity(daysAgo(26), scope, firstCall.id);
  await createActivity(daysAgo(12), scope, {
    customerId: liWei.id,
    type: 'note',
    subject: 'Interested in a family health-check package',
    occurredAt: at(12),
  });

  const qualified = await createLead(daysAgo(10), scope, {
    source: 'event',
    name: 'Dr. Liu Yang',
    companyName: 'Harmony Dental Clinic',
    title: 'Owner',
    email: 'liu.yang@harmony-dental.example',
    notes: 'Met at the Guangzhou health expo; wants dental check-up packages for corporate clients.',
  });
  await updateLead(daysAgo(8), scope, qualified.id, { status: 'contacted' });
  await updateLead(daysAgo(6), scope, qualified.id, { status: 'qualified' });
  const contacted = await createLead(daysAgo(4), scope, {
    source: 'wechat',
    name: 'Zhao Lei',
    companyName: 'Jiankang Pharmacy',
    wechatId: 'zhaolei_jk',
  });
  await updateLead(daysAgo(3), scope, contacted.id, { status: 'contacted' });
  await createLead(daysAgo(1), scope, {
    source: 'website',
    name: 'Sun Li',
    email: 'sun.li@example.com',
    notes: 'Asked for the price list of home nursing visits.',
  });
  const rejected = await createLead(daysAgo(9), scope, {
    source: 'referral',
    name: 'Huang Qiang',
    companyName: 'Anxin Pharmacy',
  });
  await updateLead(daysAgo(7), scope, rejected.id, {
    status: 'disqualified',
    notes: 'Outside our service area.',
  });

  return {
    ...refs,
    customerId: sunrise.id,
    contactId: director.id,
    opportunityId: chronicCare.id,
    pharmacyCustomerId: kangning.id,
    personCustomerId: liWei.id,
    leadId: qualified.id,
  };
}

/** The refs of an already-populated tenant (its oldest customer), or undefined when the tenant is empty. */
async function existingRefs(deps: SeedDeps<CrmTables>, scope: TenantScope): Promise<DemoRefs | undefined> {
  const oldestCustomer = await deps.db
    .selectFrom('customers')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  if (oldestCustomer) return { customerId: oldestCustomer.id };
  const anyLead = await deps.db
    .selectFrom('leads')
    .select('id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .limit(1)
    .executeTakeFirst();
  return anyLead ? {} : undefined;
}

function fixedClock(ms: number): Clock {
  return { now: () => new Date(ms) };
}
