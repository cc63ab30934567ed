// Plans through the management API, on every engine: a member sees the offered plans plus its partner's current
// one (a private plan of another partner is a 404, as if it did not exist); the operator sees every plan.
import { randomBytes } from 'node:crypto';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { changePartnerPlan } from '../../../keys/src/store/partners';
import { ENTERPRISE_PLAN_ID, FREE_PLAN_ID, PRO_PLAN_ID } from '../../../keys/src/store/seeded-plans';
import { OPERATOR_CONTEXT } from './testing/audit';
import { joinAs, personalToken } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

const UNKNOWN_PLAN = 'pln_01JDQ7X3S4T1V9KX2M5Q8W0PN9';

describeEachStore('portal plans', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  /** A plan made for one partner: not offered, so only that partner (and the operator) may see it. */
  async function privatePlan(): Promise<string> {
    const id = portal.deps.newId('pln');
    const now = portal.clock.now().toISOString();
    await portal.deps.db
      .insertInto('plans')
      .values({
        id,
        code: `custom-${randomBytes(4).toString('hex')}`,
        name: 'Custom',
        description: 'Agreed with one hospital group.',
        offered: 0,
        rate_limits: JSON.stringify([{ name: 'burst', limit: 500, windowSeconds: 1 }]),
        quotas: JSON.stringify([{ name: 'month', limit: 1_000_000, period: 'month' }]),
        apis: JSON.stringify(['crm']),
        scopes: JSON.stringify(['crm:read']),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }
  const moveTo = (session: MemberSession, planId: string) =>
    changePartnerPlan(portal.deps, session.partner.id, planId, OPERATOR_CONTEXT);
  const listed = async (client: TestPortal['operator'], query: Record<string, number | string> = {}) =>
    (await client.call('listPlans', { query: { limit: 100, ...query } })).body.data.map(
      (p: { id: string }) => p.id,
    );

  test('a member lists the offered plans, newest first, with limits, quotas, APIs and scopes', async () => {
    const owner = await portal.signUp();
    const response = await owner.client.call('listPlans');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ hasMore: false, nextCursor: null });
    expect(response.body.data.map((p: { id: string }) => p.id)).toEqual([PRO_PLAN_ID, FREE_PLAN_ID]);
    expect(response.body.data[1]).toEqual({
      id: FREE_PLAN_ID,
      code: 'free',
      name: 'Free',
      description: expect.any(String),
      offered: true,
      rateLimits: [{ name: 'burst', limit: 50, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 10_000, period: 'day' }],
      apis: ['crm', 'orders', 'entitlements'],
      scopes: expect.arrayContaining(['crm:read', 'orders:write']),
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const got = await owner.client.call('getPlan', { params: { planId: PRO_PLAN_ID } });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(response.body.data[0]);
  });

  test("a plan that is neither offered nor the partner's own is a 404, like an unknown one", async () => {
    const owner = await portal.signUp();
    const custom = await privatePlan();
    for (const planId of [ENTERPRISE_PLAN_ID, custom, UNKNOWN_PLAN]) {
      const response = await owner.client.call('getPlan', { params: { planId } });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
    expect(await listed(owner.client)).not.toContain(custom);
    expect(await listed(owner.client)).not.toContain(ENTERPRISE_PLAN_ID);
  });

  test('a partner on a private plan sees it; other partners still do not', async () => {
    const owner = await portal.signUp();
    const other = await portal.signUp();
    const custom = await privatePlan();
    await moveTo(owner, custom);
    expect(new Set(await listed(owner.client))).toEqual(new Set([custom, PRO_PLAN_ID, FREE_PLAN_ID]));
    const got = await owner.client.call('getPlan', { params: { planId: custom } });
    expect(got.body).toMatchObject({ id: custom, offered: false, apis: ['crm'], scopes: ['crm:read'] });
    expect((await other.client.call('getPlan', { params: { planId: custom } })).status).toBe(404);
    expect(await listed(other.client)).toEqual([PRO_PLAN_ID, FREE_PLAN_ID]);

    // The view follows the partner's current plan: once moved off it, the private plan is gone again.
    await moveTo(owner, FREE_PLAN_ID);
    expect((await owner.client.call('getPlan', { params: { planId: custom } })).status).toBe(404);
  });

  test('the operator lists and reads every plan, private ones included', async () => {
    const custom = await privatePlan();
    const all = await listed(portal.operator);
    expect(all).toEqual(expect.arrayContaining([custom, ENTERPRISE_PLAN_ID, PRO_PLAN_ID, FREE_PLAN_ID]));
    expect([...all].sort().reverse()).toEqual(all);
    for (const planId of [custom, ENTERPRISE_PLAN_ID]) {
      const response = await portal.operator.call('getPlan', { params: { planId } });
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(planId);
    }
    expect((await portal.operator.call('getPlan', { params: { planId: UNKNOWN_PLAN } })).status).toBe(404);
  });

  test('every role reads plans, with a session or a platform:read token; no credential is a 401', async () => {
    const owner = await portal.signUp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const reader = portal.withToken((await personalToken(viewer, ['platform:read'])).token);
    for (const client of [viewer.client, reader]) {
      expect((await client.call('listPlans')).status).toBe(200);
      expect((await client.call('getPlan', { params: { planId: FREE_PLAN_ID } })).status).toBe(200);
    }
    expect((await portal.anonymous.call('listPlans')).status).toBe(401);
    expect((await portal.anonymous.call('getPlan', { params: { planId: FREE_PLAN_ID } })).status).toBe(401);
    expect((await portal.withToken('not-the-operator-token').call('listPlans')).status).toBe(401);
  });

  test('listPlans pages by cursor; a cursor of another list is a 400', async () => {
    const first = await portal.operator.call('listPlans', { query: { limit: 1 } });
    expect(first.body.data).toHaveLength(1);
    expect(first.body.hasMore).toBe(true);
    const rest = await listed(portal.operator, { cursor: first.body.nextCursor });
    expect(rest).not.toContain(first.body.data[0].id);
    expect([first.body.data[0].id, ...rest]).toEqual(await listed(portal.operator));
    const foreign = await portal.operator.call('listPlans', {
      query: { cursor: Buffer.from('v1:mem_01JDQ7X3S4T1V9KX2M5Q8W0MB2').toString('base64url') },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('invalid_cursor');
  });
});
