// The operator operations over HTTP, on every engine: listing and reading partners and apps across tenants,
// changing plans, suspending and reinstating partners (with what that does to their members and to their keys at
// the gateway), reviewing live apps, the audit trail they leave, and who may call them (the operator token only).
import { encodeCursor } from '../../../internal/src/pagination';
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import type { CallOptions, ContractClient } from '../../../internal/src/testing/contract-client';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { storedDigest } from '../../../keys/src/domain/key-digest';
import { generateApiKey } from '../../../keys/src/domain/key-format';
import { createApiKey } from '../../../keys/src/store/api-keys';
import { getApp, type App } from '../../../keys/src/store/apps';
import type { AuditAction } from '../../../keys/src/store/audit-events';
import { getPartner } from '../../../keys/src/store/partners';
import { FREE_PLAN_ID, PRO_PLAN_ID } from '../../../keys/src/store/seeded-plans';
import { appOf, pendingLiveAppOf } from './testing/apps';
import { auditEvents, contextOf } from './testing/audit';
import { gatewayVerifier } from './testing/gateway';
import { personalToken } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

const UNKNOWN_PARTNER = 'prt_01KDVDNA00WQWB43C23YJKKVC9';
const UNKNOWN_APP = 'app_01KDVDNA00WQWB43C23YJKKVC9';
const UNKNOWN_PLAN = 'pln_01KDVDNA00WQWB43C23YJKKVC9';
const OPERATOR_ACTOR = { type: 'operator', memberId: null, email: null, personalTokenId: null };

describeEachStore('portal operator operations', (store) => {
  let portal: TestPortal;
  let signUps = 0;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  /** A partner whose name carries `tag`, so a search for the tag finds this test's partners only. */
  const signUp = (tag: string) => {
    signUps += 1;
    return portal.signUp({ partnerName: `${tag} Clinic ${signUps}` });
  };

  const operatorEvents = (partnerId: string, action?: AuditAction) =>
    auditEvents(portal, partnerId, { actorType: 'operator', ...(action ? { action } : {}) });

  async function issueKey(owner: MemberSession): Promise<{ key: string; app: App }> {
    const app = await appOf(portal, owner);
    const generated = generateApiKey('test');
    await createApiKey(
      portal.deps,
      { partnerId: owner.partner.id },
      app.id,
      {
        name: 'till',
        secret: {
          ...storedDigest(portal.deps.peppers, generated.key),
          prefix: generated.prefix,
          last4: generated.last4,
        },
        scopes: ['crm:read'],
      },
      contextOf(owner),
    );
    return { key: generated.key, app };
  }

  test('lists partners of every tenant newest first, page by page, filtered by status, plan and text; reads any one', async () => {
    const tag = `Lotus${Date.now().toString(36)}`;
    const oldest = await signUp(tag);
    const middle = await signUp(tag);
    const newest = await signUp(tag);
    await signUp('Unrelated');
    const ids = (body: { data: Array<{ id: string }> }) => body.data.map((p) => p.id);

    const first = await portal.operator.call('operatorListPartners', {
      query: { q: tag.toUpperCase(), limit: 2 },
    });
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual([newest.partner.id, middle.partner.id]);
    expect(first.body.hasMore).toBe(true);
    const second = await portal.operator.call('operatorListPartners', {
      query: { q: tag, limit: 2, cursor: first.body.nextCursor },
    });
    expect(ids(second.body)).toEqual([oldest.partner.id]);
    expect(second.body).toMatchObject({ hasMore: false, nextCursor: null });

    // The contact email is searched too (the owner's address at sign-up).
    const byEmail = await portal.operator.call('operatorListPartners', { query: { q: middle.member.email } });
    expect(ids(byEmail.body)).toEqual([middle.partner.id]);

    await portal.operator.call('operatorSuspendPartner', {
      params: { partnerId: middle.partner.id },
      body: { reason: 'Unpaid invoice' },
    });
    await portal.operator.call('operatorChangePartnerPlan', {
      params: { partnerId: oldest.partner.id },
      body: { planId: PRO_PLAN_ID },
    });
    const list = async (query: CallOptions['query']) =>
      ids((await portal.operator.call('operatorListPartners', { query: { q: tag, ...query } })).body);
    expect(await list({ status: 'suspended' })).toEqual([middle.partner.id]);
    expect(await list({ status: 'active' })).toEqual([newest.partner.id, oldest.partner.id]);
    expect(await list({ planId: PRO_PLAN_ID })).toEqual([oldest.partner.id]);
    expect(await list({ planId: FREE_PLAN_ID, status: 'active' })).toEqual([newest.partner.id]);

    const one = await portal.operator.call('operatorGetPartner', {
      params: { partnerId: middle.partner.id },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(await getPartner(portal.deps, middle.partner.id));
    expect(one.body).toMatchObject({
      status: 'suspended',
      statusReason: 'Unpaid invoice',
      planId: FREE_PLAN_ID,
    });
    const missing = await portal.operator.call('operatorGetPartner', {
      params: { partnerId: UNKNOWN_PARTNER },
    });
    expect(missing.status).toBe(404);
  });

  test('a bad filter or a cursor of another list is a 400', async () => {
    const badStatus = await portal.operator.call('operatorListPartners', { query: { status: 'deleted' } });
    expect(badStatus.status).toBe(400);
    // A well-formed cursor of the apps list would otherwise page partners from a meaningless position.
    const appsCursor = encodeCursor(UNKNOWN_APP);
    const foreign = await portal.operator.call('operatorListPartners', { query: { cursor: appsCursor } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.code).toBe('invalid_cursor');
    const partnersCursor = encodeCursor(UNKNOWN_PARTNER);
    const crossed = await portal.operator.call('operatorListApps', { query: { cursor: partnersCursor } });
    expect(crossed.status).toBe(400);
    expect(crossed.body.code).toBe('invalid_cursor');
    const badEnvironment = await portal.operator.call('operatorListApps', { query: { environment: 'prod' } });
    expect(badEnvironment.status).toBe(400);
  });

  test('a plan change moves the partner, is audited as the operator and reaches the gateway; the same plan again changes nothing', async () => {
    const owner = await signUp('Plan');
    const { key } = await issueKey(owner);
    const gateway = gatewayVerifier(portal);
    expect(await gateway.verify(key)).toMatchObject({ outcome: 'valid', key: { planId: FREE_PLAN_ID } });

    const published = portal.invalidations.length;
    const changed = await portal.operator.call('operatorChangePartnerPlan', {
      params: { partnerId: owner.partner.id },
      body: { planId: PRO_PLAN_ID },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: owner.partner.id, planId: PRO_PLAN_ID, status: 'active' });
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'all' }]);
    // The gateway's cached entry was dropped: the next request reads the new plan.
    expect(await gateway.verify(key)).toMatchObject({ outcome: 'valid', key: { planId: PRO_PLAN_ID } });
    expect(gateway.lookups()).toBe(2);
    expect((await owner.client.call('getMe')).body.partner.planId).toBe(PRO_PLAN_ID);

    const again = await portal.operator.call('operatorChangePartnerPlan', {
      params: { partnerId: owner.partner.id },
      body: { planId: PRO_PLAN_ID },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(changed.body);
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'all' }]);

    const events = await operatorEvents(owner.partner.id);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'partner.plan_changed',
        actor: OPERATOR_ACTOR,
        target: { type: 'partner', id: owner.partner.id },
        details: { fromPlanId: FREE_PLAN_ID, toPlanId: PRO_PLAN_ID },
        requestId: changed.headers.get('x-request-id'),
      }),
    ]);
  });

  test('a plan change to an unknown plan is a 422 naming /planId; an unknown partner a 404; bad bodies a 400', async () => {
    const owner = await signUp('BadPlan');
    const params = { partnerId: owner.partner.id };
    const unknownPlan = await portal.operator.call('operatorChangePartnerPlan', {
      params,
      body: { planId: UNKNOWN_PLAN },
    });
    expect(unknownPlan.status).toBe(422);
    expect(unknownPlan.body.errors).toEqual([expect.objectContaining({ pointer: '/planId' })]);
    const unknownPartner = await portal.operator.call('operatorChangePartnerPlan', {
      params: { partnerId: UNKNOWN_PARTNER },
      body: { planId: PRO_PLAN_ID },
    });
    expect(unknownPartner.status).toBe(404);
    // Only the plan is set here: the status has its own operations.
    const massAssignment = await portal.operator.call('operatorChangePartnerPlan', {
      params,
      body: { planId: PRO_PLAN_ID, status: 'suspended' },
    });
    expect(massAssignment.status).toBe(400);
    await expectBadInputRejected(portal.operator, {
      operationId: 'operatorChangePartnerPlan',
      params,
      validBody: { planId: PRO_PLAN_ID },
      wrongType: { pointer: '/planId', value: 42 },
      missing: '/planId',
      count: () => getPartner(portal.deps, owner.partner.id),
    });
    expect(await getPartner(portal.deps, owner.partner.id)).toMatchObject({ planId: FREE_PLAN_ID });
    expect(await operatorEvents(owner.partner.id)).toEqual([]);
  });

  test('suspension: the gateway refuses the partner’s keys at once, reinstating restores them; repeating either is a 409', async () => {
    const owner = await signUp('Suspend');
    const { key } = await issueKey(owner);
    const gateway = gatewayVerifier(portal);
    expect(await gateway.verify(key)).toMatchObject({ outcome: 'valid' });
    expect(await gateway.verify(key)).toMatchObject({ outcome: 'valid' });
    expect(gateway.lookups()).toBe(1);

    const published = portal.invalidations.length;
    const suspended = await portal.operator.call('operatorSuspendPartner', {
      params: { partnerId: owner.partner.id },
      body: { reason: 'Unpaid invoices for October and November.' },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({
      id: owner.partner.id,
      status: 'suspended',
      statusReason: 'Unpaid invoices for October and November.',
      updatedAt: portal.clock.now().toISOString(),
    });
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'all' }]);
    // The key was cached as valid; the invalidation dropped it and the lookup reads the partner's state.
    expect(await gateway.verify(key)).toEqual({ outcome: 'partner_suspended' });

    const twice = await portal.operator.call('operatorSuspendPartner', {
      params: { partnerId: owner.partner.id },
      body: { reason: 'again' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invalid_transition');

    const reinstated = await portal.operator.call('operatorReinstatePartner', {
      params: { partnerId: owner.partner.id },
    });
    expect(reinstated.status).toBe(200);
    expect(reinstated.body).toMatchObject({ status: 'active', statusReason: null });
    expect(portal.invalidations.slice(published)).toEqual([{ type: 'all' }, { type: 'all' }]);
    expect(await gateway.verify(key)).toMatchObject({ outcome: 'valid' });

    const notSuspended = await portal.operator.call('operatorReinstatePartner', {
      params: { partnerId: owner.partner.id },
    });
    expect(notSuspended.status).toBe(409);
    expect(notSuspended.body.code).toBe('invalid_transition');
    expect(portal.invalidations.slice(published)).toHaveLength(2);

    const events = await operatorEvents(owner.partner.id);
    expect(events.map((e) => [e.action, e.details, e.actor])).toEqual([
      ['partner.reinstated', {}, OPERATOR_ACTOR],
      ['partner.suspended', { reason: 'Unpaid invoices for October and November.' }, OPERATOR_ACTOR],
    ]);
    expect(events.every((e) => e.target.id === owner.partner.id)).toBe(true);
  });

  test('suspending or reinstating an unknown partner is a 404; a suspension needs a reason and nothing else', async () => {
    const unknownSuspend = await portal.operator.call('operatorSuspendPartner', {
      params: { partnerId: UNKNOWN_PARTNER },
      body: { reason: 'x' },
    });
    expect(unknownSuspend.status).toBe(404);
    const unknownReinstate = await portal.operator.call('operatorReinstatePartner', {
      params: { partnerId: UNKNOWN_PARTNER },
    });
    expect(unknownReinstate.status).toBe(404);

    const owner = await signUp('SuspendInput');
    const params = { partnerId: owner.partner.id };
    for (const body of [{ reason: '' }, { reason: 'x'.repeat(501) }, { reason: 'x', planId: PRO_PLAN_ID }]) {
      const refused = await portal.operator.call('operatorSuspendPartner', { params, body });
      expect(refused.status).toBe(400);
    }
    await expectBadInputRejected(portal.operator, {
      operationId: 'operatorSuspendPartner',
      params,
      validBody: { reason: 'Unpaid invoice' },
      wrongType: { pointer: '/reason', value: ['unpaid'] },
      missing: '/reason',
      count: () => getPartner(portal.deps, owner.partner.id),
    });
    expect(await getPartner(portal.deps, owner.partner.id)).toMatchObject({ status: 'active' });
  });

  test("a suspended partner's members can still sign in and read (200) but change nothing (403 forbidden) until reinstated", async () => {
    const owner = await signUp('ReadOnly');
    const token = portal.withToken((await personalToken(owner)).token);
    await portal.operator.call('operatorSuspendPartner', {
      params: { partnerId: owner.partner.id },
      body: { reason: 'Abuse report under review' },
    });

    const me = await owner.client.call('getMe');
    expect(me.status).toBe(200);
    expect(me.body.partner).toMatchObject({ status: 'suspended', statusReason: 'Abuse report under review' });
    expect((await owner.client.call('getSession')).status).toBe(200);
    expect((await token.call('getMe')).status).toBe(200);

    const changes: Array<[ContractClient, string, CallOptions]> = [
      [owner.client, 'updatePartner', { body: { name: 'Renamed' } }],
      [owner.client, 'createApp', { body: { name: 'New', environment: 'test', scopes: ['crm:read'] } }],
      [owner.client, 'createPersonalToken', { body: { name: 'ci', scopes: ['platform:read'] } }],
      [token, 'updatePartner', { body: { name: 'Renamed' } }],
    ];
    for (const [client, operationId, options] of changes) {
      const refused = await client.call(operationId, options);
      expect({ operationId, status: refused.status }).toEqual({ operationId, status: 403 });
      expect(refused.body.code).toBe('forbidden');
    }
    expect(await getPartner(portal.deps, owner.partner.id)).toMatchObject({ name: owner.partner.name });

    // Signing in and out stay possible.
    const again = await portal.login(owner.member.email);
    expect((await again.client.call('logout')).status).toBe(204);

    // Reinstated, the same session may change things again.
    await portal.operator.call('operatorReinstatePartner', { params: { partnerId: owner.partner.id } });
    const renamed = await owner.client.call('updatePartner', { body: { name: 'Renamed' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', status: 'active' });
  });

  test('the review queue spans partners; approving makes a live app active with the note, rejecting ends it with the reason', async () => {
    const a = await signUp('Review');
    const b = await signUp('Review');
    const aTest = await appOf(portal, a);
    const aFirst = await pendingLiveAppOf(portal, a);
    const aSecond = await pendingLiveAppOf(portal, a);
    const bLive = await pendingLiveAppOf(portal, b);
    const ids = (body: { data: Array<{ id: string }> }) => body.data.map((x) => x.id);

    const queue = await portal.operator.call('operatorListApps', { query: { status: 'pending_approval' } });
    expect(queue.status).toBe(200);
    expect(ids(queue.body).slice(0, 3)).toEqual([bLive.id, aSecond.id, aFirst.id]);
    const ofA = await portal.operator.call('operatorListApps', {
      query: { partnerId: a.partner.id, limit: 2 },
    });
    expect(ids(ofA.body)).toEqual([aSecond.id, aFirst.id]);
    const rest = await portal.operator.call('operatorListApps', {
      query: { partnerId: a.partner.id, limit: 2, cursor: ofA.body.nextCursor },
    });
    expect(rest.body).toEqual({ data: [aTest], hasMore: false, nextCursor: null });
    const testOfA = await portal.operator.call('operatorListApps', {
      query: { partnerId: a.partner.id, environment: 'test' },
    });
    expect(ids(testOfA.body)).toEqual([aTest.id]);

    portal.clock.advance(60_000);
    const note = 'Reviewed the integration plan with the partner.';
    const approved = await portal.operator.call('operatorApproveApp', {
      params: { appId: aFirst.id },
      body: { note },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      id: aFirst.id,
      partnerId: a.partner.id,
      status: 'active',
      statusReason: note,
      reviewedAt: portal.clock.now().toISOString(),
    });
    // Without a body (it is optional) there is no note.
    const plain = await portal.operator.call('operatorApproveApp', { params: { appId: bLive.id } });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ status: 'active', statusReason: null });

    const reason = 'Live CRM access needs a signed data-processing agreement.';
    const rejected = await portal.operator.call('operatorRejectApp', {
      params: { appId: aSecond.id },
      body: { reason },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: reason });

    // The partner sees the outcome; the approved app may now hold credentials.
    expect(await getApp(portal.deps, { partnerId: a.partner.id }, aSecond.id)).toMatchObject({
      status: 'rejected',
      statusReason: reason,
    });
    const keyForApproved = generateApiKey('live');
    await expect(
      createApiKey(
        portal.deps,
        { partnerId: a.partner.id },
        aFirst.id,
        {
          name: 'till',
          secret: {
            ...storedDigest(portal.deps.peppers, keyForApproved.key),
            prefix: keyForApproved.prefix,
            last4: keyForApproved.last4,
          },
        },
        contextOf(a),
      ),
    ).resolves.toMatchObject({ appId: aFirst.id });

    const afterReview = await portal.operator.call('operatorListApps', {
      query: { partnerId: a.partner.id, status: 'pending_approval' },
    });
    expect(afterReview.body.data).toEqual([]);

    const events = await operatorEvents(a.partner.id);
    expect(events.map((e) => [e.action, e.target.id, e.appId, e.environment, e.details])).toEqual([
      ['app.rejected', aSecond.id, aSecond.id, 'live', { reason }],
      ['app.approved', aFirst.id, aFirst.id, 'live', { reason: note }],
    ]);
    expect(events.every((e) => JSON.stringify(e.actor) === JSON.stringify(OPERATOR_ACTOR))).toBe(true);
    expect(await operatorEvents(b.partner.id, 'app.approved')).toHaveLength(1);
  });

  test('only a live app awaiting approval can be reviewed (409); an unknown app is a 404; bad bodies a 400', async () => {
    const owner = await signUp('Review409');
    const testApp = await appOf(portal, owner);
    const live = await pendingLiveAppOf(portal, owner);
    const reviewed = await pendingLiveAppOf(portal, owner);
    await portal.operator.call('operatorApproveApp', { params: { appId: reviewed.id } });

    for (const appId of [testApp.id, reviewed.id]) {
      const approve = await portal.operator.call('operatorApproveApp', { params: { appId } });
      const reject = await portal.operator.call('operatorRejectApp', {
        params: { appId },
        body: { reason: 'x' },
      });
      for (const response of [approve, reject]) {
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('invalid_transition');
      }
    }
    expect(
      (await portal.operator.call('operatorApproveApp', { params: { appId: UNKNOWN_APP } })).status,
    ).toBe(404);
    expect(
      (
        await portal.operator.call('operatorRejectApp', {
          params: { appId: UNKNOWN_APP },
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);

    for (const body of [{ note: 5 }, { note: '' }, { note: 'ok', status: 'active' }]) {
      const refused = await portal.operator.call('operatorApproveApp', { params: { appId: live.id }, body });
      expect(refused.status).toBe(400);
    }
    const rejectWithScopes = await portal.operator.call('operatorRejectApp', {
      params: { appId: live.id },
      body: { reason: 'x', scopes: [] },
    });
    expect(rejectWithScopes.status).toBe(400);
    await expectBadInputRejected(portal.operator, {
      operationId: 'operatorRejectApp',
      params: { appId: live.id },
      validBody: { reason: 'No agreement' },
      wrongType: { pointer: '/reason', value: 7 },
      missing: '/reason',
      count: () => getApp(portal.deps, { partnerId: owner.partner.id }, live.id),
    });
    expect(await getApp(portal.deps, { partnerId: owner.partner.id }, live.id)).toMatchObject({
      status: 'pending_approval',
    });
  });

  describe('who may call', () => {
    let owner: MemberSession;
    let pending: App;
    const operatorCalls = (): Array<[string, CallOptions]> => [
      ['operatorListPartners', {}],
      ['operatorGetPartner', { params: { partnerId: owner.partner.id } }],
      [
        'operatorChangePartnerPlan',
        { params: { partnerId: owner.partner.id }, body: { planId: PRO_PLAN_ID } },
      ],
      ['operatorSuspendPartner', { params: { partnerId: owner.partner.id }, body: { reason: 'x' } }],
      ['operatorReinstatePartner', { params: { partnerId: owner.partner.id } }],
      ['operatorListApps', {}],
      ['operatorApproveApp', { params: { appId: pending.id } }],
      ['operatorRejectApp', { params: { appId: pending.id }, body: { reason: 'x' } }],
    ];
    beforeAll(async () => {
      owner = await signUp('Access');
      pending = await pendingLiveAppOf(portal, owner);
    });

    async function expectAllUnauthenticated(label: string, client: ContractClient, headers = {}) {
      const bodies = new Set<string>();
      for (const [operationId, options] of operatorCalls()) {
        const response = await client.call(operationId, { ...options, headers });
        expect({ label, operationId, status: response.status }).toEqual({ label, operationId, status: 401 });
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="portico"/);
        const { requestId: _r, instance: _i, ...rest } = response.body;
        bodies.add(JSON.stringify(rest));
      }
      // The same body whatever the reason, so a 401 tells nothing.
      expect(bodies.size).toBe(1);
    }

    test('without the operator token, or with a wrong one, every operator operation is a 401 and changes nothing', async () => {
      await expectAllUnauthenticated('no credential', portal.anonymous);
      await expectAllUnauthenticated(
        'wrong token',
        portal.withToken(`${portal.operatorToken.slice(0, -1)}x`),
      );
      await expectAllUnauthenticated(
        'lower-cased token',
        portal.withToken(portal.operatorToken.toLowerCase()),
      );
      await expectAllUnauthenticated('basic', portal.anonymous, {
        authorization: `Basic ${Buffer.from(`operator:${portal.operatorToken}`).toString('base64')}`,
      });
      expect(await getPartner(portal.deps, owner.partner.id)).toMatchObject({
        status: 'active',
        planId: FREE_PLAN_ID,
      });
      expect(await getApp(portal.deps, { partnerId: owner.partner.id }, pending.id)).toMatchObject({
        status: 'pending_approval',
      });
    });

    test("a member's session or personal token cannot call operator operations (401)", async () => {
      await expectAllUnauthenticated('owner session', owner.client);
      await expectAllUnauthenticated(
        'owner personal token',
        portal.withToken((await personalToken(owner)).token),
      );
      expect(await getPartner(portal.deps, owner.partner.id)).toMatchObject({ status: 'active' });
      expect(await operatorEvents(owner.partner.id)).toEqual([]);
    });

    test('the operator token cannot call partner operations (401)', async () => {
      const partnerCalls: Array<[string, CallOptions]> = [
        ['getMe', {}],
        ['getPartner', {}],
        ['updatePartner', { body: { name: 'Operator was here' } }],
        ['listApps', {}],
        ['createApp', { body: { name: 'x', environment: 'test', scopes: ['crm:read'] } }],
        ['getApp', { params: { appId: pending.id } }],
      ];
      for (const [operationId, options] of partnerCalls) {
        const response = await portal.operator.call(operationId, options);
        expect({ operationId, status: response.status }).toEqual({ operationId, status: 401 });
      }
    });

    test('the operator token works on every operator operation', async () => {
      for (const [operationId, options] of operatorCalls()) {
        const response = await portal.operator.call(operationId, options);
        expect({ operationId, status: response.status }).toEqual({
          operationId,
          status: operationId === 'operatorRejectApp' ? 409 : 200,
        });
      }
    });
  });
});
