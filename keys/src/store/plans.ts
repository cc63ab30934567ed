// Reads plans: what the apps of a partner may use and how much. A member sees the offered plans and its own
// partner's (a private plan of another partner is "not found"); the operator sees them all.
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound } from '../../../internal/src/problem/problem';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText } from '../../../internal/src/store/query-helpers';
import type { KeysStoreDeps } from './deps';
import type { PlansTable } from './schema';

export interface PlanRateLimit {
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface PlanQuota {
  name: string;
  limit: number;
  period: 'day' | 'month';
}

export interface Plan {
  id: string;
  code: string;
  name: string;
  description: string;
  offered: boolean;
  rateLimits: PlanRateLimit[];
  quotas: PlanQuota[];
  apis: string[];
  scopes: string[];
  createdAt: string;
  updatedAt: string;
}

/** Whose view of the plans: a member's partner (offered plans plus its current one), or the operator (all). */
export type PlanViewer = { partnerPlanId: string } | 'operator';

type Deps = Pick<KeysStoreDeps, 'db'>;

export async function listPlans(deps: Deps, viewer: PlanViewer, page: PageRequest): Promise<Page<Plan>> {
  let query = deps.db.selectFrom('plans').selectAll();
  if (viewer !== 'operator') {
    query = query.where((eb) => eb.or([eb('offered', '=', 1), eb('id', '=', viewer.partnerPlanId)]));
  }
  return fetchPage(query, page, toPlan);
}

export async function findPlan(deps: Deps, viewer: PlanViewer, id: string): Promise<Plan | undefined> {
  let query = deps.db.selectFrom('plans').selectAll().where('id', '=', id);
  if (viewer !== 'operator') {
    query = query.where((eb) => eb.or([eb('offered', '=', 1), eb('id', '=', viewer.partnerPlanId)]));
  }
  const row = await query.executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export async function getPlan(deps: Deps, viewer: PlanViewer, id: string): Promise<Plan> {
  const plan = await findPlan(deps, viewer, id);
  if (!plan) throw notFound('plan', id);
  return plan;
}

/** The plan with a stable code (configuration names the sign-up default by code). */
export async function findPlanByCode(deps: Deps, code: string): Promise<Plan | undefined> {
  const row = await deps.db.selectFrom('plans').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? toPlan(row) : undefined;
}

export function toPlan(row: PlansTable): Plan {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    offered: Number(row.offered) === 1,
    rateLimits: fromJsonText<PlanRateLimit[]>(row.rate_limits, []),
    quotas: fromJsonText<PlanQuota[]>(row.quotas, []),
    apis: fromJsonText<string[]>(row.apis, []),
    scopes: fromJsonText<string[]>(row.scopes, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
