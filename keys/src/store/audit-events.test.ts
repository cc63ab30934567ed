// The audit trail: events are appended with their actor and context, listed per partner newest first with
// filters and a cursor, and never shown to another partner.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { appendAuditEvent, listAuditEvents, SYSTEM_CONTEXT } from './audit-events';
import { OPERATOR, openKeysStore, signUp, type TestDeps } from './test-fixtures';

describeEachStore('audit events', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'audit');
  });

  test('lists one partner’s events newest first, a page at a time, and none of another partner’s', async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    for (let i = 0; i < 4; i++) {
      deps.clock.advance(1000);
      await appendAuditEvent(deps.db, deps, a.as, {
        partnerId: a.partner.id,
        action: 'partner.updated',
        target: { type: 'partner', id: a.partner.id },
        details: { step: i },
      });
    }
    const scope = { partnerId: a.partner.id };
    const first = await listAuditEvents(
      deps,
      scope,
      { action: 'partner.updated' },
      pageRequest({ limit: 3 }, 'aud'),
    );
    expect(first.data.map((e) => e.details.step)).toEqual([3, 2, 1]);
    const rest = await listAuditEvents(
      deps,
      scope,
      { action: 'partner.updated' },
      pageRequest({ limit: 3, cursor: first.nextCursor! }, 'aud'),
    );
    expect(rest.data.map((e) => e.details.step)).toEqual([0]);
    const ofB = await listAuditEvents(deps, { partnerId: b.partner.id }, {}, pageRequest({}, 'aud'));
    expect(ofB.data.map((e) => e.action)).toEqual(['partner.created']);
  });

  test('filters by actor, actor type, target and time range', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const start = deps.clock.now().toISOString();
    deps.clock.advance(60_000);
    await appendAuditEvent(deps.db, deps, OPERATOR, {
      partnerId: t.partner.id,
      action: 'partner.suspended',
      target: { type: 'partner', id: t.partner.id },
      details: { reason: 'test' },
    });
    deps.clock.advance(60_000);
    const middle = deps.clock.now().toISOString();
    await appendAuditEvent(deps.db, deps, SYSTEM_CONTEXT, {
      partnerId: t.partner.id,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: 'key_01KDVDNA00WQWB43C23YJKKVC4' },
      app: { id: 'app_01KDVDNA00WQWB43C23YJKKVC4', environment: 'live' },
    });
    const actions = async (filter: Parameters<typeof listAuditEvents>[2]) =>
      (await listAuditEvents(deps, scope, filter, pageRequest({}, 'aud'))).data.map((e) => e.action);
    expect(await actions({ actorId: t.owner.id })).toEqual(['partner.created']);
    expect(await actions({ actorType: 'operator' })).toEqual(['partner.suspended']);
    expect(await actions({ actorType: 'system' })).toEqual(['api_key.revoked']);
    expect(await actions({ targetType: 'api_key' })).toEqual(['api_key.revoked']);
    expect(await actions({ targetId: t.partner.id })).toEqual(['partner.suspended', 'partner.created']);
    expect(await actions({ from: start, to: middle })).toEqual(['partner.suspended', 'partner.created']);
    expect(await actions({ from: middle })).toEqual(['api_key.revoked']);
    const [systemEvent] = (
      await listAuditEvents(deps, scope, { actorType: 'system' }, pageRequest({}, 'aud'))
    ).data;
    expect(systemEvent).toMatchObject({
      actor: { type: 'system', memberId: null, email: null, personalTokenId: null },
      appId: 'app_01KDVDNA00WQWB43C23YJKKVC4',
      environment: 'live',
      requestId: null,
      details: {},
    });
  });
});
