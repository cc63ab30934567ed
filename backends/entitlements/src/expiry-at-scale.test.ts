// Expiry stays cheap and exact however many grants run out together: a list is a read whose cost does not grow
// with the overdue grants, touching a grant records its expiry in a fixed number of statements, and concurrent
// reads record each expiry exactly once, dated at the expiry.
import { manualClock } from '../../../internal/src/clock';
import type { TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startEntitlements } from './entitlements-harness';
import type { EntitlementsStoreDeps } from './store/deps';
import { createGrant, getGrant, listGrants } from './store/grants';
import type { EntitlementsTables } from './store/schema';
import { createActivePackage, createService, customerId } from './testing/fixtures';
import { StatementCounter } from './testing/statement-counter';

const DAY_MS = 86_400_000;
const OVERDUE = 150;

describeEachStore('Entitlements expiry at scale', (store) => {
  const clock = manualClock('2026-01-01T00:00:00.000Z');
  let svc: TestService<EntitlementsTables>;
  let deps: EntitlementsStoreDeps;
  let grantIds: string[];
  let expiresAt: string;

  const scope = () => svc.client.identity!;
  /** Store deps whose statements are counted. */
  const counted = () => {
    const counter = new StatementCounter();
    return { counter, deps: { ...deps, db: deps.db.withPlugin(counter) } };
  };
  const expiredEvents = () =>
    svc.database.db
      .selectFrom('grant_events')
      .select(['grant_id', 'occurred_at'])
      .where('type', '=', 'expired')
      .where('grant_id', 'in', grantIds)
      .execute();

  beforeAll(async () => {
    svc = await startEntitlements(store, { clock });
    deps = { db: svc.database.db, clock, newId: svc.deps.newId };
    const item = await createService(svc.client);
    const pkg = await createActivePackage(svc.client, [{ itemId: item.id, quantity: 3 }], {
      validity: { kind: 'rolling', days: 30 },
    });
    // Made through the store rather than HTTP only to be quick; they all run out at the same instant.
    grantIds = [];
    for (let i = 0; i < OVERDUE; i += 1) {
      const grant = await createGrant(deps, scope(), { customerId: customerId(), packageId: pkg.id });
      grantIds.push(grant.id);
    }
    expiresAt = '2026-01-31T00:00:00.000Z';
    clock.advance(31 * DAY_MS);
  });
  afterAll(() => svc.close());

  test('listing many overdue grants costs the same two reads as listing one, and writes nothing', async () => {
    const { counter, deps: countedDeps } = counted();
    const expired = await listGrants(
      countedDeps,
      scope(),
      { status: 'expired' },
      { limit: 100, afterId: undefined },
    );
    expect(expired.data).toHaveLength(100);
    expect(expired.hasMore).toBe(true);
    expect(counter.tally()).toEqual({ SelectQueryNode: 2 });
    for (const grant of expired.data)
      expect(grant).toMatchObject({ status: 'expired', updatedAt: expiresAt });

    counter.reset();
    const active = await listGrants(
      countedDeps,
      scope(),
      { status: 'active' },
      { limit: 100, afterId: undefined },
    );
    expect(active.data).toEqual([]);
    // An empty page has no balances to load.
    expect(counter.tally()).toEqual({ SelectQueryNode: 1 });

    const stored = await svc.database.db
      .selectFrom('grants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('id', 'in', grantIds)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(OVERDUE);
    expect(await expiredEvents()).toEqual([]);
  });

  test('reading one overdue grant records its expiry in one update and one insert, and only once', async () => {
    const { counter, deps: countedDeps } = counted();
    const grantId = grantIds[0]!;
    const first = await getGrant(countedDeps, scope(), grantId);
    expect(first).toMatchObject({ status: 'expired', updatedAt: expiresAt });
    expect(counter.tally()).toEqual({ UpdateQueryNode: 1, InsertQueryNode: 1, SelectQueryNode: 2 });

    counter.reset();
    const again = await getGrant(countedDeps, scope(), grantId);
    expect(again).toEqual(first);
    expect(counter.tally()).toEqual({ UpdateQueryNode: 1, SelectQueryNode: 2 });
    expect(await expiredEvents()).toEqual([{ grant_id: grantId, occurred_at: expiresAt }]);
  });

  test('concurrent reads of overdue grants record exactly one expiry per grant, dated at the expiry', async () => {
    const touched = grantIds.slice(0, 40);
    const reads = touched.flatMap((grantId) => [
      svc.client.call('getGrant', { params: { grantId } }),
      svc.client.call('getGrant', { params: { grantId } }),
      svc.client.call('listGrantEvents', { params: { grantId } }),
      svc.client.call('suspendGrant', { params: { grantId } }),
      svc.client.call('listGrants', { query: { status: 'expired', limit: 5 } }),
    ]);
    const results = await Promise.all(reads);
    for (const res of results) expect([200, 409]).toContain(res.status);

    const events = await expiredEvents();
    expect(events.map((e) => e.grant_id).sort()).toEqual([...touched].sort());
    for (const event of events) expect(event.occurred_at).toBe(expiresAt);

    const history = await svc.client.call('listGrantEvents', { params: { grantId: touched[7]! } });
    expect(history.body.data.map((e: any) => e.type)).toEqual(['expired', 'granted']);
  });
});
