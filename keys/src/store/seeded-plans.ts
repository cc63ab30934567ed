// The plans every installation starts with, inserted by migration 0004. Frozen with it: changing a shipped plan
// means a new migration that updates the rows, never an edit here.
//
// Free's RateLimit-Policy is DESIGN.md's example, `"burst";q=50;w=1, "day";q=10000;w=86400`: the burst protects
// the system, the quota is the allowance. Pro and Enterprise add a per-minute rate and a monthly quota.
import type { PlansTable } from './schema';

export const FREE_PLAN_ID = 'pln_01KDVDNA00WQWB43C23YJKKVC4';
export const PRO_PLAN_ID = 'pln_01KDVDNA00WQWB43C23YJKKVC5';
export const ENTERPRISE_PLAN_ID = 'pln_01KDVDNA00WQWB43C23YJKKVC6';

/** The plan a partner signs up on unless configuration names another. */
export const DEFAULT_PLAN_CODE = 'free';

const SEEDED_AT = '2026-01-01T00:00:00.000Z';
const ALL_SCOPES = [
  'crm:read',
  'crm:write',
  'orders:read',
  'orders:write',
  'entitlements:read',
  'entitlements:write',
];

export const SEEDED_PLANS: readonly PlansTable[] = [
  {
    id: FREE_PLAN_ID,
    code: 'free',
    name: 'Free',
    description:
      'Every API in the test environment and a daily allowance, for building and trying an integration.',
    offered: 1,
    rate_limits: JSON.stringify([{ name: 'burst', limit: 50, windowSeconds: 1 }]),
    quotas: JSON.stringify([{ name: 'day', limit: 10_000, period: 'day' }]),
    apis: JSON.stringify(['crm', 'orders', 'entitlements']),
    scopes: JSON.stringify(ALL_SCOPES),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT,
  },
  {
    id: PRO_PLAN_ID,
    code: 'pro',
    name: 'Pro',
    description: 'For partners in production with several clinics or pharmacies.',
    offered: 1,
    rate_limits: JSON.stringify([
      { name: 'burst', limit: 200, windowSeconds: 1 },
      { name: 'minute', limit: 6_000, windowSeconds: 60 },
    ]),
    quotas: JSON.stringify([
      { name: 'day', limit: 200_000, period: 'day' },
      { name: 'month', limit: 5_000_000, period: 'month' },
    ]),
    apis: JSON.stringify(['crm', 'orders', 'entitlements']),
    scopes: JSON.stringify(ALL_SCOPES),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT,
  },
  {
    id: ENTERPRISE_PLAN_ID,
    code: 'enterprise',
    name: 'Enterprise',
    description: 'For hospital groups and pharmacy chains; agreed with the operator, not offered at sign-up.',
    offered: 0,
    rate_limits: JSON.stringify([
      { name: 'burst', limit: 1_000, windowSeconds: 1 },
      { name: 'minute', limit: 30_000, windowSeconds: 60 },
    ]),
    quotas: JSON.stringify([
      { name: 'day', limit: 2_000_000, period: 'day' },
      { name: 'month', limit: 50_000_000, period: 'month' },
    ]),
    apis: JSON.stringify(['crm', 'orders', 'entitlements']),
    scopes: JSON.stringify(ALL_SCOPES),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT,
  },
];
