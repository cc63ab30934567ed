// Sign-up creates a partner and its owner together or not at all; addresses are unique installation-wide and
// compared case-insensitively; the operator suspends, reinstates and re-plans partners, each change audited.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listAuditEvents } from './audit-events';
import { findMemberByEmail, getMember } from './members';
import { changePartnerPlan, changePartnerStatus, createPartnerWithOwner, getPartner } from './partners';
import { FREE_PLAN_ID, PRO_PLAN_ID } from './seeded-plans';
import { OPERATOR, openKeysStore, signUp, type TestDeps } from './test-fixtures';

describeEachStore('partners and members', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'partners');
  });

  const signUpInput = (email: string, planId = FREE_PLAN_ID) => ({
    partnerName: 'Jade Pharmacy Software',
    planId,
    owner: { name: 'Li Wei', email, passwordHash: 'scrypt$hash' },
  });
  const context = { requestId: 'req_1', ip: '203.0.113.7', userAgent: 'jest' };
  const count = async (table: 'partners' | 'members') =>
    Number(
      (
        await deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('sign-up creates an active partner on the plan with an active owner, audited as done by that owner', async () => {
    const { partner, owner } = await createPartnerWithOwner(
      deps,
      signUpInput('Li.Wei@JadePharm.example'),
      context,
    );
    expect(partner).toMatchObject({
      name: 'Jade Pharmacy Software',
      status: 'active',
      planId: FREE_PLAN_ID,
      contactEmail: 'Li.Wei@JadePharm.example',
    });
    expect(owner).toMatchObject({
      partnerId: partner.id,
      role: 'owner',
      status: 'active',
      email: 'Li.Wei@JadePharm.example',
      lastLoginAt: deps.clock.now().toISOString(),
    });
    expect(await getPartner(deps, partner.id)).toEqual(partner);
    expect(await getMember(deps, { partnerId: partner.id }, owner.id)).toEqual(owner);
    const found = await findMemberByEmail(deps, 'li.wei@jadepharm.EXAMPLE');
    expect(found).toMatchObject({ id: owner.id, passwordHash: 'scrypt$hash' });
    const events = await listAuditEvents(deps, { partnerId: partner.id }, {}, pageRequest({}, 'aud'));
    expect(events.data).toEqual([
      expect.objectContaining({
        action: 'partner.created',
        actor: { type: 'member', memberId: owner.id, email: owner.email, personalTokenId: null },
        target: { type: 'partner', id: partner.id },
        requestId: 'req_1',
      }),
    ]);
  });

  test('an address already used by any member, in any case, is a 409 and creates no partner', async () => {
    await createPartnerWithOwner(deps, signUpInput('zhang.min@clinic.example'), context);
    const before = { partners: await count('partners'), members: await count('members') };
    await expect(
      createPartnerWithOwner(deps, signUpInput('Zhang.Min@Clinic.example'), context),
    ).rejects.toMatchObject({
      status: 409,
      code: 'already_exists',
      options: { errors: [{ pointer: '/email' }] },
    });
    expect({ partners: await count('partners'), members: await count('members') }).toEqual(before);
  });

  test('concurrent sign-ups with one address: exactly one succeeds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        createPartnerWithOwner(deps, signUpInput('race@clinic.example'), context),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('an unknown plan is a 422', async () => {
    await expect(
      createPartnerWithOwner(
        deps,
        signUpInput('nobody@clinic.example', 'pln_01KDVDNA00WQWB43C23YJKKVC9'),
        context,
      ),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("another partner's member is not found", async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    await expect(getMember(deps, { partnerId: b.partner.id }, a.owner.id)).rejects.toMatchObject({
      status: 404,
    });
  });

  test('suspend and reinstate each apply once; repeating one is a 409', async () => {
    const t = await signUp(deps);
    const suspended = await changePartnerStatus(
      deps,
      t.partner.id,
      { action: 'suspend', reason: 'Unpaid invoice' },
      OPERATOR,
    );
    expect(suspended).toMatchObject({ status: 'suspended', statusReason: 'Unpaid invoice' });
    await expect(
      changePartnerStatus(deps, t.partner.id, { action: 'suspend', reason: 'again' }, OPERATOR),
    ).rejects.toMatchObject({ status: 409, options: { extensions: { currentStatus: 'suspended' } } });
    const reinstated = await changePartnerStatus(deps, t.partner.id, { action: 'reinstate' }, OPERATOR);
    expect(reinstated).toMatchObject({ status: 'active', statusReason: null });
    await expect(
      changePartnerStatus(deps, t.partner.id, { action: 'reinstate' }, OPERATOR),
    ).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      changePartnerStatus(deps, 'prt_01KDVDNA00WQWB43C23YJKKVC9', { action: 'reinstate' }, OPERATOR),
    ).rejects.toMatchObject({ status: 404 });
    const events = await listAuditEvents(
      deps,
      { partnerId: t.partner.id },
      { actorType: 'operator' },
      pageRequest({}, 'aud'),
    );
    expect(events.data.map((e) => [e.action, e.details])).toEqual([
      ['partner.reinstated', {}],
      ['partner.suspended', { reason: 'Unpaid invoice' }],
    ]);
  });

  test('a plan change is audited; setting the current plan again changes nothing; an unknown plan is a 422', async () => {
    const t = await signUp(deps);
    expect((await changePartnerPlan(deps, t.partner.id, PRO_PLAN_ID, OPERATOR)).planId).toBe(PRO_PLAN_ID);
    await changePartnerPlan(deps, t.partner.id, PRO_PLAN_ID, OPERATOR);
    await expect(
      changePartnerPlan(deps, t.partner.id, 'pln_01KDVDNA00WQWB43C23YJKKVC9', OPERATOR),
    ).rejects.toMatchObject({ status: 422 });
    const events = await listAuditEvents(
      deps,
      { partnerId: t.partner.id },
      { action: 'partner.plan_changed' },
      pageRequest({}, 'aud'),
    );
    expect(events.data.map((e) => e.details)).toEqual([{ fromPlanId: FREE_PLAN_ID, toPlanId: PRO_PLAN_ID }]);
  });
});
