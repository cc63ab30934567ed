// Portal sessions on both engines: the token is stored only as a digest and found with one lookup; sessions end
// 12 hours after their last use and 7 days after sign-in at the latest; sign-out and "everywhere" end them at once.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing } from '../domain/key-digest';
import { verifyCsrfToken } from '../domain/session-token';
import { listAuditEvents } from './audit-events';
import {
  createSession,
  deleteExpiredSessions,
  endMemberSessions,
  endSession,
  findSessionByToken,
  SESSION_POLICY,
  sessionCsrfToken,
  type SessionDeps,
} from './sessions';
import { openKeysStore, signUp, type TestDeps } from './test-fixtures';

const HOUR = 60 * 60 * 1000;
const P1 = { id: 'p1', secret: randomBytes(32) };
const P2 = { id: 'p2', secret: randomBytes(32) };
const CLIENT = { requestId: 'req_login', ip: '203.0.113.9', userAgent: 'Firefox' };

describeEachStore('sessions', (store) => {
  let base: TestDeps;
  let deps: SessionDeps & { clock: TestDeps['clock'] };
  beforeAll(async () => {
    base = await openKeysStore(store, 'sessions');
    deps = { ...base, peppers: createPepperRing([P1]) };
  });

  async function signedIn() {
    const tenant = await signUp(deps);
    const started = await createSession(deps, tenant.owner, CLIENT);
    return { ...tenant, ...started };
  }

  test('signing in returns the token once and stores only its digest; the sign-in is recorded', async () => {
    const { token, csrfToken, session, owner, partner } = await signedIn();
    const row = await deps.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(csrfToken);
    expect(row).toMatchObject({
      member_id: owner.id,
      partner_id: partner.id,
      ip: CLIENT.ip,
      user_agent: 'Firefox',
    });
    expect(session.expiresAt).toBe(new Date(deps.clock.now().getTime() + 12 * HOUR).toISOString());
    expect(session.absoluteExpiresAt).toBe(
      new Date(deps.clock.now().getTime() + 7 * 24 * HOUR).toISOString(),
    );
    const events = await listAuditEvents(
      deps,
      { partnerId: partner.id },
      { action: 'session.created' },
      pageRequest({}, 'aud'),
    );
    expect(events.data).toEqual([
      expect.objectContaining({
        target: { type: 'session', id: session.id },
        actor: expect.objectContaining({ memberId: owner.id }),
      }),
    ]);
  });

  test('the token finds its session with the member and partner; the CSRF token is recoverable and verifies', async () => {
    const { token, csrfToken, session, owner, partner } = await signedIn();
    const found = await findSessionByToken(deps, token);
    expect(found).toMatchObject({
      session: { id: session.id },
      member: { id: owner.id, role: 'owner', status: 'active' },
      partner: { id: partner.id, status: 'active' },
    });
    expect(found?.member.lastLoginAt).toBe(deps.clock.now().toISOString());
    expect(sessionCsrfToken(deps, token)).toBe(csrfToken);
    expect(verifyCsrfToken(deps.peppers, token, csrfToken)).toBe(true);
    expect(verifyCsrfToken(deps.peppers, (await signedIn()).token, csrfToken)).toBe(false);
  });

  test('a value that is not token-shaped is refused without touching the store; an unknown token finds nothing', async () => {
    const noStore = { ...deps, db: undefined as never };
    expect(await findSessionByToken(noStore, 'not-a-token')).toBeUndefined();
    expect(await findSessionByToken(noStore, undefined)).toBeUndefined();
    expect(await findSessionByToken(deps, randomBytes(32).toString('base64url'))).toBeUndefined();
  });

  test('a session ends 12 hours after its last use; each use moves that, at most one write a minute', async () => {
    const { token } = await signedIn();
    deps.clock.advance(11 * HOUR);
    const used = await findSessionByToken(deps, token);
    expect(used?.session.expiresAt).toBe(new Date(deps.clock.now().getTime() + 12 * HOUR).toISOString());
    deps.clock.advance(30_000);
    // Within the touch interval: found, but nothing is written.
    expect((await findSessionByToken(deps, token))?.session.lastUsedAt).toBe(used?.session.lastUsedAt);
    deps.clock.advance(12 * HOUR - 30_000 - 1);
    expect(await findSessionByToken(deps, token)).toBeDefined();
    deps.clock.advance(12 * HOUR);
    expect(await findSessionByToken(deps, token)).toBeUndefined();
  });

  test('a session in constant use still ends 7 days after sign-in', async () => {
    const { token, session } = await signedIn();
    for (let used = 0; used < 7 * 24 - 11; used += 11) {
      deps.clock.advance(11 * HOUR);
      expect(await findSessionByToken(deps, token)).toBeDefined();
    }
    const last = await findSessionByToken(deps, token);
    expect(last?.session.expiresAt).toBe(session.absoluteExpiresAt);
    deps.clock.set(session.absoluteExpiresAt);
    expect(await findSessionByToken(deps, token)).toBeUndefined();
  });

  test('signing out ends the session at once; a second sign-out or another partner changes nothing', async () => {
    const { token, session, partner, as } = await signedIn();
    const stranger = await signUp(deps);
    expect(await endSession(deps, { partnerId: stranger.partner.id }, session.id, stranger.as)).toBe(false);
    expect(await findSessionByToken(deps, token)).toBeDefined();
    expect(await endSession(deps, { partnerId: partner.id }, session.id, as)).toBe(true);
    expect(await findSessionByToken(deps, token)).toBeUndefined();
    expect(await endSession(deps, { partnerId: partner.id }, session.id, as)).toBe(false);
    const ended = await listAuditEvents(
      deps,
      { partnerId: partner.id },
      { action: 'session.ended' },
      pageRequest({}, 'aud'),
    );
    expect(ended.data.map((e) => e.details.reason)).toEqual(['signed_out']);
  });

  test("ending a member's sessions (a password change) keeps the current one and no other member's", async () => {
    const first = await signedIn();
    const second = await createSession(deps, first.owner, CLIENT);
    const third = await createSession(deps, first.owner, CLIENT);
    const other = await signedIn();
    const scope = { partnerId: first.partner.id };
    const ended = await deps.db
      .transaction()
      .execute((trx) =>
        endMemberSessions(
          trx,
          deps,
          scope,
          first.owner.id,
          { reason: 'password_changed', keepSessionId: third.session.id },
          first.as,
        ),
      );
    expect(ended).toBe(2);
    expect(await findSessionByToken(deps, first.token)).toBeUndefined();
    expect(await findSessionByToken(deps, second.token)).toBeUndefined();
    expect(await findSessionByToken(deps, third.token)).toBeDefined();
    expect(await findSessionByToken(deps, other.token)).toBeDefined();
  });

  test('sessions made under an older pepper are still found after a rotation', async () => {
    const { token } = await signedIn();
    const rotated = { ...deps, peppers: createPepperRing([P2, P1]) };
    expect(await findSessionByToken(rotated, token)).toBeDefined();
    expect(await findSessionByToken({ ...deps, peppers: createPepperRing([P2]) }, token)).toBeUndefined();
  });

  test('expired sessions are deleted by the clean-up job, live ones are kept', async () => {
    const old = await signedIn();
    deps.clock.advance(13 * HOUR);
    const fresh = await signedIn();
    expect(await deleteExpiredSessions(deps)).toBeGreaterThanOrEqual(1);
    expect(
      await deps.db.selectFrom('sessions').select('id').where('id', '=', old.session.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(await findSessionByToken(deps, fresh.token)).toBeDefined();
  });

  test('the policy is the spec: 12 hours idle, 7 days in all', () => {
    expect(SESSION_POLICY).toEqual({ idleMs: 12 * HOUR, absoluteMs: 7 * 24 * HOUR, touchIntervalMs: 60_000 });
  });
});
