// The caller's partner through the management API, on every engine: every role reads it; owners and admins change
// its profile (only the given fields, null clears), never its status or plan (400); each change is audited once.
import { pageRequest } from '../../../internal/src/pagination';
import { expectBadInputRejected } from '../../../internal/src/testing/bad-input';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listAuditEvents } from '../../../keys/src/store/audit-events';
import { getPartner } from '../../../keys/src/store/partners';
import { joinAs, personalToken, suspend } from './testing/members';
import { startTestPortal, type MemberSession, type TestPortal } from './testing/portal-harness';

describeEachStore('portal partner', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  const updates = async (session: MemberSession) =>
    (
      await listAuditEvents(
        portal.deps,
        { partnerId: session.partner.id },
        { action: 'partner.updated' },
        pageRequest({}, 'aud'),
      )
    ).data;
  const stored = (session: MemberSession) => getPartner(portal.deps, session.partner.id);

  test('every role reads its own partner, with its status and plan', async () => {
    const owner = await portal.signUp();
    const viewer = await joinAs(portal, owner, 'viewer');
    const reader = portal.withToken((await personalToken(viewer, ['platform:read'])).token);
    for (const client of [owner.client, viewer.client, reader]) {
      const response = await client.call('getPartner');
      expect(response.status).toBe(200);
      expect(response.body).toEqual(await stored(owner));
      expect(response.body).toMatchObject({
        id: owner.partner.id,
        status: 'active',
        statusReason: null,
        planId: owner.partner.planId,
      });
    }
    expect((await portal.anonymous.call('getPartner')).status).toBe(401);
    expect((await portal.operator.call('getPartner')).status).toBe(401);
  });

  test('updatePartner changes only the given fields, null clears one, and each change is one audit event', async () => {
    const owner = await portal.signUp();
    const before = await stored(owner);
    portal.clock.advance(60_000);
    const updated = await owner.client.call('updatePartner', {
      body: { website: 'https://jadepharm.example', country: 'CN', contactEmail: 'dev@jadepharm.example' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      ...before,
      website: 'https://jadepharm.example',
      country: 'CN',
      contactEmail: 'dev@jadepharm.example',
      updatedAt: portal.clock.now().toISOString(),
    });
    expect((await owner.client.call('getPartner')).body).toEqual(updated.body);

    const renamed = await owner.client.call('updatePartner', {
      body: { name: 'Jade Pharmacy Software Ltd', website: null },
    });
    expect(renamed.body).toMatchObject({
      name: 'Jade Pharmacy Software Ltd',
      website: null,
      country: 'CN',
      contactEmail: 'dev@jadepharm.example',
    });

    const [second, first, ...rest] = await updates(owner);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      action: 'partner.updated',
      actor: { type: 'member', memberId: owner.member.id, email: owner.member.email, personalTokenId: null },
      target: { type: 'partner', id: owner.partner.id },
      details: {
        fields: ['website', 'contactEmail', 'country'],
        website: 'https://jadepharm.example',
        contactEmail: 'dev@jadepharm.example',
        country: 'CN',
      },
    });
    expect(second!.details).toEqual({
      fields: ['name', 'website'],
      name: 'Jade Pharmacy Software Ltd',
      website: null,
    });

    // Saving the same values again changes nothing and records nothing.
    const same = await owner.client.call('updatePartner', { body: { country: 'CN' } });
    expect(same.body).toEqual(renamed.body);
    expect(await updates(owner)).toHaveLength(2);
  });

  test('owners and admins may update the profile; developers and viewers get 403 and nothing changes', async () => {
    const owner = await portal.signUp();
    const admin = await joinAs(portal, owner, 'admin');
    const dev = await joinAs(portal, owner, 'developer');
    const viewer = await joinAs(portal, owner, 'viewer');
    const byAdmin = await admin.client.call('updatePartner', { body: { country: 'SG' } });
    expect(byAdmin.status).toBe(200);
    expect((await updates(owner))[0]!.actor.memberId).toBe(admin.member.id);
    const before = await stored(owner);
    for (const session of [dev, viewer]) {
      const refused = await session.client.call('updatePartner', { body: { country: 'FR' } });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
    expect(await stored(owner)).toEqual(before);
  });

  test('the status, the plan and other fields Portico sets are refused with 400 and nothing changes', async () => {
    const owner = await portal.signUp();
    const before = await stored(owner);
    const forbidden = [
      { status: 'active' },
      { planId: 'pln_01KDVDNA00WQWB43C23YJKKVC6' },
      { statusReason: null },
      { id: 'prt_01JDQ7X3S4T1V9KX2M5Q8W0PRT' },
      { createdAt: '2020-01-01T00:00:00.000Z' },
      { country: 'CN', planId: 'pln_01KDVDNA00WQWB43C23YJKKVC6' },
    ];
    for (const body of forbidden) {
      const response = await owner.client.call('updatePartner', { body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
    }
    const invalid = [
      { website: 'ftp://jadepharm.example' },
      { website: 'not a url' },
      { country: 'cn' },
      { country: 'CHN' },
      { contactEmail: 'nobody' },
      { name: '' },
      { name: null },
      { contactEmail: null },
    ];
    for (const body of invalid) {
      const response = await owner.client.call('updatePartner', { body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    await expectBadInputRejected(owner.client, {
      operationId: 'updatePartner',
      validBody: { name: 'Jade', country: 'CN' },
      wrongType: { pointer: '/name', value: 42 },
      count: () => stored(owner),
    });
    expect(await stored(owner)).toEqual(before);
    expect(await updates(owner)).toEqual([]);
  });

  test('a personal token needs platform:write to update; the change names the token in the audit event', async () => {
    const owner = await portal.signUp();
    const reader = portal.withToken((await personalToken(owner, ['platform:read'])).token);
    const writerToken = await personalToken(owner, ['platform:write']);
    const refused = await reader.call('updatePartner', { body: { country: 'CN' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    const written = await portal
      .withToken(writerToken.token)
      .call('updatePartner', { body: { country: 'CN' } });
    expect(written.status).toBe(200);
    expect((await updates(owner))[0]!.actor).toMatchObject({
      memberId: owner.member.id,
      personalTokenId: writerToken.id,
    });
  });

  test('without the CSRF token, or while the partner is suspended, the profile cannot change (403)', async () => {
    const owner = await portal.signUp();
    const noCsrf = await portal.anonymous.call('updatePartner', {
      headers: { cookie: owner.cookie },
      body: { country: 'CN' },
    });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('csrf_failed');
    await suspend(portal, owner);
    const suspended = await owner.client.call('updatePartner', { body: { country: 'CN' } });
    expect(suspended.status).toBe(403);
    expect(suspended.body.code).toBe('forbidden');
    const read = await owner.client.call('getPartner');
    expect(read.body).toMatchObject({ status: 'suspended', statusReason: 'unpaid invoices', country: null });
  });

  test("one partner's update never touches another partner", async () => {
    const a = await portal.signUp();
    const b = await portal.signUp();
    const before = await stored(b);
    await a.client.call('updatePartner', { body: { name: 'Renamed', country: 'JP' } });
    expect(await stored(b)).toEqual(before);
    expect((await b.client.call('getPartner')).body.id).toBe(b.partner.id);
  });
});
