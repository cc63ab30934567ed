// Portal sessions: a signed-in browser holds an opaque 256-bit token in the `portico_session` cookie; the store
// keeps only its keyed digest. A session ends 12 hours after its last use and 7 days after sign-in at the latest
// (platform spec, Authentication), or when its member signs out, changes password or is removed.
import type { Kysely } from 'kysely';
import {
  sessionTokenDigests,
  csrfTokenFor,
  generateSessionToken,
  isSessionTokenShaped,
} from '../domain/session-token';
import type { SecretRing } from '../domain/secret-ring';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { toMember, type Member } from './members';
import { toPartner, type Partner } from './partners';
import type { KeysTables, MembersTable, PartnersTable, SessionsTable } from './schema';

/** How long sessions last. Idle expiry limits a forgotten open browser; absolute expiry limits a stolen cookie. */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /**
   * A use moves the idle expiry only if the last recorded use is at least this old: at most one write per session
   * per interval instead of one per request (the idle expiry is then exact to within this interval).
   */
  touchIntervalMs: number;
}

export const SESSION_POLICY: SessionPolicy = Object.freeze({
  idleMs: 12 * 60 * 60 * 1000,
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
  touchIntervalMs: 60 * 1000,
});

export interface Session {
  id: string;
  partnerId: string;
  memberId: string;
  /** When the session ends unless used again (each use moves it, never past absoluteExpiresAt). */
  expiresAt: string;
  absoluteExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
  lastUsedAt: string;
  createdAt: string;
}

/** A new session: the token goes into the cookie and is never seen again; the CSRF token into the response. */
export interface StartedSession {
  session: Session;
  token: string;
  csrfToken: string;
}

/** What the portal needs to authorise a request made with a session: the member's current role, the partner's state. */
export interface AuthenticatedSession {
  session: Session;
  member: Member;
  partner: Partner;
}

export interface SessionDeps extends KeysStoreDeps {
  /** PORTICO_KEY_PEPPERS: digests the token and derives the CSRF token. */
  peppers: SecretRing;
  sessionPolicy?: SessionPolicy;
}

type Db = Kysely<KeysTables>;

/**
 * Starts a session for a member who has just proved who they are (sign-in, sign-up, accepted invitation), records
 * the sign-in time and `session.created`, in one transaction. The member acts on its own behalf: `client` gives
 * only where the request came from.
 */
export async function createSession(
  deps: SessionDeps,
  member: Pick<Member, 'id' | 'partnerId' | 'email'>,
  client: Omit<AuditContext, 'actor'>,
): Promise<StartedSession> {
  const policy = deps.sessionPolicy ?? SESSION_POLICY;
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const token = generateSessionToken();
  const absolute = new Date(nowDate.getTime() + policy.absoluteMs).toISOString();
  const row: SessionsTable = {
    id: deps.newId('ses'),
    partner_id: member.partnerId,
    member_id: member.id,
    token_digest: sessionTokenDigests(deps.peppers, token)[0]!.digest,
    expires_at: minTime(new Date(nowDate.getTime() + policy.idleMs).toISOString(), absolute),
    absolute_expires_at: absolute,
    ip: client.ip,
    user_agent: client.userAgent,
    last_used_at: now,
    created_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('sessions').values(row).execute();
    await trx
      .updateTable('members')
      .set({ last_login_at: now })
      .where('partner_id', '=', member.partnerId)
      .where('id', '=', member.id)
      .execute();
    await appendAuditEvent(
      trx,
      deps,
      {
        ...client,
        actor: { type: 'member', memberId: member.id, email: member.email, personalTokenId: null },
      },
      {
        partnerId: member.partnerId,
        action: 'session.created',
        target: { type: 'session', id: row.id },
        details: { expiresAt: row.expires_at, absoluteExpiresAt: row.absolute_expires_at },
      },
    );
  });
  return { session: toSession(row), token, csrfToken: csrfTokenFor(deps.peppers, token) };
}

/**
 * The live session of a presented cookie value, with its member and partner, in ONE query on the unique digest
 * index (primary keys to the member and the partner); undefined when the value is not token-shaped (no I/O), unknown,
 * ended or expired. A use moves the idle expiry (at most one write per touchIntervalMs).
 */
export async function findSessionByToken(
  deps: SessionDeps,
  presented: unknown,
): Promise<AuthenticatedSession | undefined> {
  if (!isSessionTokenShaped(presented)) return undefined;
  const policy = deps.sessionPolicy ?? SESSION_POLICY;
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const digests = sessionTokenDigests(deps.peppers, presented).map((d) => d.digest);
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('members', 'members.id', 'sessions.member_id')
    .innerJoin('partners', 'partners.id', 'sessions.partner_id')
    .select([
      'sessions.id',
      'sessions.partner_id',
      'sessions.member_id',
      'sessions.token_digest',
      'sessions.expires_at',
      'sessions.absolute_expires_at',
      'sessions.ip',
      'sessions.user_agent',
      'sessions.last_used_at',
      'sessions.created_at',
      ...MEMBER_COLUMNS,
      ...PARTNER_COLUMNS,
    ])
    .where('sessions.token_digest', 'in', digests)
    // expires_at never exceeds absolute_expires_at (every write takes the minimum), so one bound suffices.
    .where('sessions.expires_at', '>', now)
    .where('members.status', '=', 'active')
    .executeTakeFirst();
  if (!row) return undefined;
  const session = toSession(row);
  if (nowDate.getTime() - Date.parse(session.lastUsedAt) >= policy.touchIntervalMs) {
    const expiresAt = minTime(
      new Date(nowDate.getTime() + policy.idleMs).toISOString(),
      session.absoluteExpiresAt,
    );
    // Guarded by expires_at: a session ended meanwhile (signed out elsewhere) is not brought back.
    const touched = await deps.db
      .updateTable('sessions')
      .set({ last_used_at: now, expires_at: expiresAt })
      .where('id', '=', session.id)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(touched.numUpdatedRows) === 0) return undefined;
    session.lastUsedAt = now;
    session.expiresAt = expiresAt;
  }
  return { session, member: toMember(memberOf(row)), partner: toPartner(partnerOf(row)) };
}

/** The CSRF token of a session whose token the caller presented (GET /session gives it back after a reload). */
export function sessionCsrfToken(deps: Pick<SessionDeps, 'peppers'>, token: string): string {
  return csrfTokenFor(deps.peppers, token);
}

/** Signs a session out (logout): it is deleted, so it stops working on every portal process at once. */
export async function endSession(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  sessionId: string,
  context: AuditContext,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .deleteFrom('sessions')
      .where('partner_id', '=', scope.partnerId)
      .where('id', '=', sessionId)
      .returning('member_id')
      .executeTakeFirst();
    if (!ended) return false;
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'session.ended',
      target: { type: 'session', id: sessionId },
      details: { reason: 'signed_out', memberId: ended.member_id },
    });
    return true;
  });
}

export type SessionEndReason = 'signed_out_everywhere' | 'password_changed' | 'member_removed';

/**
 * Ends every session of a member (on a password change, or on removal), except `keepSessionId` (the session that
 * changed the password). Pass the transaction of the change as `db`, so both happen or neither. One `session.ended`
 * per session ended. Returns how many ended.
 */
export async function endMemberSessions(
  db: Db,
  deps: Pick<KeysStoreDeps, 'clock' | 'newId'>,
  scope: PartnerScope,
  memberId: string,
  options: { reason: SessionEndReason; keepSessionId?: string },
  context: AuditContext,
): Promise<number> {
  let query = db
    .deleteFrom('sessions')
    .where('partner_id', '=', scope.partnerId)
    .where('member_id', '=', memberId);
  if (options.keepSessionId !== undefined) query = query.where('id', '<>', options.keepSessionId);
  const ended = await query.returning('id').execute();
  for (const { id } of ended) {
    await appendAuditEvent(db, deps, context, {
      partnerId: scope.partnerId,
      action: 'session.ended',
      target: { type: 'session', id },
      details: { reason: options.reason, memberId },
    });
  }
  return ended.length;
}

/** Deletes the sessions that have expired (a periodic job; they already stopped working). Returns how many. */
export async function deleteExpiredSessions(deps: Pick<KeysStoreDeps, 'db' | 'clock'>): Promise<number> {
  const result = await deps.db
    .deleteFrom('sessions')
    .where('expires_at', '<=', deps.clock.now().toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

const MEMBER_COLUMNS = [
  'members.email as m_email',
  'members.email_normalized as m_email_normalized',
  'members.name as m_name',
  'members.role as m_role',
  'members.status as m_status',
  'members.invitation_expires_at as m_invitation_expires_at',
  'members.invited_by as m_invited_by',
  'members.last_login_at as m_last_login_at',
  'members.created_at as m_created_at',
  'members.updated_at as m_updated_at',
] as const;

const PARTNER_COLUMNS = [
  'partners.name as p_name',
  'partners.website as p_website',
  'partners.contact_email as p_contact_email',
  'partners.country as p_country',
  'partners.status as p_status',
  'partners.status_reason as p_status_reason',
  'partners.plan_id as p_plan_id',
  'partners.created_at as p_created_at',
  'partners.updated_at as p_updated_at',
] as const;

type JoinedRow = Pick<SessionsTable, 'member_id' | 'partner_id'> & Record<string, unknown>;

function memberOf(row: JoinedRow): MembersTable {
  return {
    id: row.member_id,
    partner_id: row.partner_id,
    email: row.m_email as string,
    email_normalized: row.m_email_normalized as string,
    name: row.m_name as string | null,
    role: row.m_role as string,
    status: row.m_status as string,
    // Never carried out of the store with a session.
    password_hash: null,
    invitation_digest: null,
    invitation_expires_at: row.m_invitation_expires_at as string | null,
    invited_by: row.m_invited_by as string | null,
    last_login_at: row.m_last_login_at as string | null,
    created_at: row.m_created_at as string,
    updated_at: row.m_updated_at as string,
  };
}

function partnerOf(row: JoinedRow): PartnersTable {
  return {
    id: row.partner_id,
    name: row.p_name as string,
    website: row.p_website as string | null,
    contact_email: row.p_contact_email as string,
    country: row.p_country as string | null,
    status: row.p_status as string,
    status_reason: row.p_status_reason as string | null,
    plan_id: row.p_plan_id as string,
    created_at: row.p_created_at as string,
    updated_at: row.p_updated_at as string,
  };
}

function minTime(a: string, b: string): string {
  // Every stored timestamp has the same fixed-width UTC form, so text order is time order.
  return a < b ? a : b;
}

function toSession(row: SessionsTable): Session {
  return {
    id: row.id,
    partnerId: row.partner_id,
    memberId: row.member_id,
    expiresAt: row.expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    ip: row.ip,
    userAgent: row.user_agent,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}
