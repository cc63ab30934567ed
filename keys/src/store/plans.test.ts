// Plans: three are seeded with their limits; a member sees the offered plans and its own partner's, the operator
// sees all of them, and a private plan of someone else is not found.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { changePartnerPlan } from './partners';
import { findPlanByCode, getPlan, listPlans } from './plans';
import { DEFAULT_PLAN_CODE, ENTERPRISE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, signUp, type TestDeps } from './test-fixtures';

describeEachStore('plans', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'plans');
  });

  test('the seeded Free plan announces DESIGN.md’s example limits; Pro and Enterprise are larger', async () => {
    const free = await getPlan(deps, 'operator', FREE_PLAN_ID);
    expect(free).toMatchObject({
      code: 'free',
      name: 'Free',
      offered: true,
      rateLimits: [{ name: 'burst', limit: 50, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 10_000, period: 'day' }],
      apis: ['crm', 'orders', 'entitlements'],
    });
    const pro = await getPlan(deps, 'operator', PRO_PLAN_ID);
    const enterprise = await getPlan(deps, 'operator', ENTERPRISE_PLAN_ID);
    const day = (p: typeof free) => p.quotas.find((q) => q.period === 'day')!.limit;
    expect(day(free)).toBeLessThan(day(pro));
    expect(day(pro)).toBeLessThan(day(enterprise));
    expect(enterprise.offered).toBe(false);
    expect((await findPlanByCode(deps, DEFAULT_PLAN_CODE))?.id).toBe(FREE_PLAN_ID);
    expect(await findPlanByCode(deps, 'platinum')).toBeUndefined();
  });

  test('the operator lists every plan, newest first, a page at a time', async () => {
    const first = await listPlans(deps, 'operator', pageRequest({ limit: 2 }, 'pln'));
    expect(first.data.map((p) => p.id)).toEqual([ENTERPRISE_PLAN_ID, PRO_PLAN_ID]);
    const rest = await listPlans(
      deps,
      'operator',
      pageRequest({ limit: 2, cursor: first.nextCursor! }, 'pln'),
    );
    expect(rest.data.map((p) => p.id)).toEqual([FREE_PLAN_ID]);
    expect(rest.hasMore).toBe(false);
  });

  test('a member sees the offered plans and its own private plan, and no other private plan', async () => {
    const onFree = { partnerPlanId: FREE_PLAN_ID };
    expect((await listPlans(deps, onFree, pageRequest({}, 'pln'))).data.map((p) => p.id)).toEqual([
      PRO_PLAN_ID,
      FREE_PLAN_ID,
    ]);
    await expect(getPlan(deps, onFree, ENTERPRISE_PLAN_ID)).rejects.toMatchObject({ status: 404 });

    const t = await signUp(deps);
    const moved = await changePartnerPlan(deps, t.partner.id, ENTERPRISE_PLAN_ID, OPERATOR);
    const onEnterprise = { partnerPlanId: moved.planId };
    expect((await listPlans(deps, onEnterprise, pageRequest({}, 'pln'))).data.map((p) => p.id)).toEqual([
      ENTERPRISE_PLAN_ID,
      PRO_PLAN_ID,
      FREE_PLAN_ID,
    ]);
    expect((await getPlan(deps, onEnterprise, ENTERPRISE_PLAN_ID)).code).toBe('enterprise');
  });
});
