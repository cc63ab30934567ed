// The audit trail through the management API: owners and admins read their partner's events, newest first, with
// every filter of the spec and cursor pagination; developers and viewers cannot; no partner sees another's events.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { appOf } from './testing/apps';
import { teamOf, type Team } from './testing/members';
import { startTestPortal, type TestPortal } from './testing/portal-harness';

interface AuditEventBody {
  id: string;
  occurredAt: string;
  action: string;
  actor: { type: string; memberId: string | null; email: string | null; personalTokenId: string | null };
  target: { type: string; id: string };
  appId: string | null;
  environment: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

describeEachStore('portal audit events', (store) => {
  let portal: TestPortal;
  let team: Team;
  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
  });
  afterAll(() => portal.close());

  const list = (query: Record<string, string | number> = {}) =>
    team.owner.client.call('listAuditEvents', { query });

  test('only owners and admins may read the audit trail (403 forbidden for developers and viewers)', async () => {
    for (const session of [team.owner, team.admin]) {
      const response = await session.client.call('listAuditEvents');
      expect(response.status).toBe(200);
      expect(response.body.data.length).toBeGreaterThan(0);
    }
    for (const session of [team.developer, team.viewer]) {
      const response = await session.client.call('listAuditEvents');
      expect({ status: response.status, code: response.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
    }
  });

  test('a change made through the API is recorded with who, what, where from, and no secret', async () => {
    const app = await appOf(portal, team.owner);
    const created = await team.developer.client.call('createSigningKey', {
      params: { appId: app.id },
      body: { algorithm: 'hmac-sha256', name: 'Back-office server' },
      headers: { 'user-agent': 'portico-sdk-typescript/1.0.0' },
    });
    expect(created.status).toBe(201);
    const keyId: string = created.body.signingKey.id;
    const response = await list({ targetId: keyId });
    expect(response.body.data).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        occurredAt: portal.clock.now().toISOString(),
        action: 'signing_key.created',
        actor: {
          type: 'member',
          memberId: team.developer.member.id,
          email: team.developer.member.email,
          personalTokenId: null,
        },
        target: { type: 'signing_key', id: keyId },
        appId: app.id,
        environment: 'test',
        requestId: created.headers.get('x-request-id'),
        ip: expect.any(String),
        userAgent: 'portico-sdk-typescript/1.0.0',
        details: expect.objectContaining({ name: 'Back-office server', algorithm: 'hmac-sha256' }),
      },
    ]);
    expect(response.text).not.toContain(created.body.secret);
  });

  test('the filters: actor, actor type, action, target type and id, and a half-open time range', async () => {
    portal.clock.advance(60_000);
    const start = portal.clock.now().toISOString();
    const testApp = await appOf(portal, team.admin);
    portal.clock.advance(60_000);
    const middle = portal.clock.now().toISOString();
    const liveApp = await appOf(portal, team.owner, 'live'); // created by the owner, approved by the operator
    portal.clock.advance(60_000);
    const end = portal.clock.now().toISOString();

    const ids = (response: Awaited<ReturnType<typeof list>>) =>
      response.body.data.map((e: AuditEventBody) => e.id);
    const byAdmin = await list({ actorId: team.admin.member.id, action: 'app.created' });
    expect(byAdmin.body.data.map((e: AuditEventBody) => e.target.id)).toEqual([testApp.id]);
    const byOperator = await list({ actorType: 'operator' });
    expect(byOperator.body.data.map((e: AuditEventBody) => [e.action, e.target.id])).toEqual([
      ['app.approved', liveApp.id],
    ]);
    const approved = await list({ action: 'app.approved' });
    expect(ids(approved)).toEqual(ids(byOperator));
    const aboutLive = await list({ targetType: 'app', targetId: liveApp.id });
    expect(aboutLive.body.data.map((e: AuditEventBody) => e.action)).toEqual(['app.approved', 'app.created']);
    const members = await list({ targetType: 'member' });
    expect(members.body.data.every((e: AuditEventBody) => e.target.type === 'member')).toBe(true);
    expect(members.body.data.length).toBeGreaterThanOrEqual(3);

    // `from` is inclusive, `to` exclusive; an offset is understood as the same instant.
    const window = await list({ from: start, to: middle, action: 'app.created' });
    expect(window.body.data.map((e: AuditEventBody) => e.target.id)).toEqual([testApp.id]);
    const later = await list({ from: middle.replace('Z', '+00:00'), to: end });
    expect(later.body.data.map((e: AuditEventBody) => e.target.id)).toEqual([liveApp.id, liveApp.id]);
    expect(later.body.data.every((e: AuditEventBody) => e.occurredAt >= middle && e.occurredAt < end)).toBe(
      true,
    );
  });

  test('newest first, page by page with the cursor; a foreign or made-up cursor is a 400', async () => {
    const all = await list({ limit: 100 });
    const sorted = [...all.body.data].sort((a: AuditEventBody, b: AuditEventBody) => (a.id < b.id ? 1 : -1));
    expect(all.body.data).toEqual(sorted);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((e: AuditEventBody) => e.id));
      cursor = page.body.nextCursor;
      expect(page.body.hasMore).toBe(cursor !== null);
    } while (cursor !== null);
    expect(seen).toEqual(all.body.data.map((e: AuditEventBody) => e.id));

    const foreign = await list({ cursor: Buffer.from(`v1:${team.owner.member.id}`).toString('base64url') });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({
      status: 400,
      code: 'invalid_cursor',
    });
    const badFilter = await list({ action: 'app.exploded' });
    expect(badFilter.status).toBe(400);
  });

  test("no partner sees another partner's events, even when filtering by the other's ids", async () => {
    const stranger = await portal.signUp();
    const theirs = await stranger.client.call('listAuditEvents', { query: { limit: 100 } });
    expect(theirs.status).toBe(200);
    const actors = new Set(theirs.body.data.map((e: AuditEventBody) => e.actor.memberId));
    expect([...actors].filter((id) => id !== null && id !== stranger.member.id)).toEqual([]);
    const probe = await stranger.client.call('listAuditEvents', { query: { actorId: team.owner.member.id } });
    expect(probe.body.data).toEqual([]);
    const ours = await list({ actorId: stranger.member.id });
    expect(ours.body.data).toEqual([]);
  });
});
