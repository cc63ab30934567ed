// Listing a partner's members on both engines: newest first, invited ones included, filtered by role and status,
// paged by cursor, and never another partner's.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listMembers } from './member-list';
import { inviteMember } from './member-invitations';
import type { Role } from './members';
import { openKeysStore, signUp, type TestDeps } from './test-fixtures';

describeEachStore('member list', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'member_list');
  });

  async function invite(tenant: Awaited<ReturnType<typeof signUp>>, role: Role) {
    deps.clock.advance(1000);
    return inviteMember(
      deps,
      { partnerId: tenant.partner.id },
      {
        email: `m.${randomBytes(4).toString('hex')}@jadepharm.example`,
        role,
        invitation: { pepperId: 'p1', digest: randomBytes(32).toString('base64url') },
      },
      tenant.as,
    );
  }

  test("lists the partner's members newest first, invited ones included, and pages by cursor", async () => {
    const tenant = await signUp(deps);
    const viewer = await invite(tenant, 'viewer');
    const dev = await invite(tenant, 'developer');
    const scope = { partnerId: tenant.partner.id };
    const all = await listMembers(deps, scope, {}, pageRequest({}, 'mem'));
    expect(all.data.map((m) => m.id)).toEqual([dev.id, viewer.id, tenant.owner.id]);
    expect(all.hasMore).toBe(false);
    const first = await listMembers(deps, scope, {}, pageRequest({ limit: 2 }, 'mem'));
    expect(first.data.map((m) => m.id)).toEqual([dev.id, viewer.id]);
    expect(first.hasMore).toBe(true);
    const second = await listMembers(
      deps,
      scope,
      {},
      pageRequest({ limit: 2, cursor: first.nextCursor }, 'mem'),
    );
    expect(second.data.map((m) => m.id)).toEqual([tenant.owner.id]);
    expect(second.hasMore).toBe(false);
  });

  test('filters by role and by status', async () => {
    const tenant = await signUp(deps);
    const dev = await invite(tenant, 'developer');
    await invite(tenant, 'viewer');
    const scope = { partnerId: tenant.partner.id };
    const page = pageRequest({}, 'mem');
    expect((await listMembers(deps, scope, { role: 'developer' }, page)).data.map((m) => m.id)).toEqual([
      dev.id,
    ]);
    expect((await listMembers(deps, scope, { status: 'active' }, page)).data.map((m) => m.id)).toEqual([
      tenant.owner.id,
    ]);
    expect((await listMembers(deps, scope, { role: 'owner', status: 'invited' }, page)).data).toEqual([]);
  });

  test("never lists another partner's members", async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    await invite(b, 'admin');
    const listed = await listMembers(deps, { partnerId: a.partner.id }, {}, pageRequest({}, 'mem'));
    expect(listed.data.map((m) => m.partnerId)).toEqual([a.partner.id]);
  });
});
