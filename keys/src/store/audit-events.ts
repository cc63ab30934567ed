// The audit trail: every change to a partner, its people, its apps or its credentials appends one event, in the
// same transaction as the change, so that a change without its event (or an event without its change) cannot be.
import type { Kysely } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { AuditEventsTable, KeysTables } from './schema';

// The platform spec's AuditAction, AuditActorType and AuditTargetType, kept here until keys/src/domain exports them.
export type AuditAction =
  | 'partner.created'
  | 'partner.updated'
  | 'partner.plan_changed'
  | 'partner.suspended'
  | 'partner.reinstated'
  | 'member.invited'
  | 'member.joined'
  | 'member.role_changed'
  | 'member.removed'
  | 'session.created'
  | 'session.ended'
  | 'personal_token.created'
  | 'personal_token.revoked'
  | 'app.created'
  | 'app.updated'
  | 'app.deleted'
  | 'app.approved'
  | 'app.rejected'
  | 'api_key.created'
  | 'api_key.rolled'
  | 'api_key.revoked'
  | 'oauth_client.created'
  | 'oauth_client.secret_rotated'
  | 'oauth_client.deleted'
  | 'signing_key.created'
  | 'signing_key.revoked';

export type AuditActorType = 'member' | 'operator' | 'system';

export type AuditTargetType =
  'partner' | 'member' | 'session' | 'personal_token' | 'app' | 'api_key' | 'oauth_client' | 'signing_key';

/** A fact about a change (platform spec: string, integer, boolean, null or a list of strings) — never a secret. */
export type AuditDetail = string | number | boolean | null | string[];

export interface AuditActor {
  type: AuditActorType;
  memberId: string | null;
  /** The member's email at the time of the change; kept even if the member later leaves. */
  email: string | null;
  personalTokenId: string | null;
}

/** Who is making a change and from where: every mutating store function takes one. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEventInput {
  partnerId: string;
  action: AuditAction;
  target: { type: AuditTargetType; id: string };
  /** The app the target belongs to (or is), with its environment. */
  app?: { id: string; environment: Environment };
  details?: Record<string, AuditDetail>;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  action: AuditAction;
  actor: AuditActor;
  target: { type: AuditTargetType; id: string };
  appId: string | null;
  environment: Environment | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, AuditDetail>;
}

export interface AuditEventFilter {
  actorId?: string;
  actorType?: AuditActorType;
  action?: AuditAction;
  targetType?: AuditTargetType;
  targetId?: string;
  /** Inclusive lower bound on occurredAt (stored form). */
  from?: string;
  /** Exclusive upper bound on occurredAt (stored form). */
  to?: string;
}

/** The system itself (expiry, a background job), for changes no person made. */
export const SYSTEM_CONTEXT: AuditContext = Object.freeze({
  actor: Object.freeze({ type: 'system', memberId: null, email: null, personalTokenId: null }),
  requestId: null,
  ip: null,
  userAgent: null,
}) as AuditContext;

/**
 * Appends one event. Pass the transaction the change runs in as `db`, so both commit or neither does. The time is
 * the clock's, the id a fresh time-ordered `aud_` id (the list's cursor order).
 */
export async function appendAuditEvent(
  db: Kysely<KeysTables>,
  deps: Pick<KeysStoreDeps, 'clock' | 'newId'>,
  context: AuditContext,
  event: AuditEventInput,
): Promise<AuditEvent> {
  const row: AuditEventsTable = {
    id: deps.newId('aud'),
    partner_id: event.partnerId,
    occurred_at: deps.clock.now().toISOString(),
    action: event.action,
    actor_type: context.actor.type,
    actor_member_id: context.actor.memberId,
    actor_email: context.actor.email,
    actor_personal_token_id: context.actor.personalTokenId,
    target_type: event.target.type,
    target_id: event.target.id,
    app_id: event.app?.id ?? null,
    environment: event.app?.environment ?? null,
    request_id: context.requestId,
    ip: context.ip,
    user_agent: context.userAgent,
    details: toJsonText(event.details ?? {}),
  };
  await db.insertInto('audit_events').values(row).execute();
  return toAuditEvent(row);
}

/** A partner's events, newest first, with the spec's filters (each one an indexed or cheap condition). */
export async function listAuditEvents(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  filter: AuditEventFilter,
  page: PageRequest,
): Promise<Page<AuditEvent>> {
  let query = deps.db.selectFrom('audit_events').selectAll().where('partner_id', '=', scope.partnerId);
  if (filter.actorId !== undefined) query = query.where('actor_member_id', '=', filter.actorId);
  if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.targetType !== undefined) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('occurred_at', '<', filter.to);
  return fetchPage(query, page, toAuditEvent);
}

export function toAuditEvent(row: AuditEventsTable): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action as AuditAction,
    actor: {
      type: row.actor_type as AuditActorType,
      memberId: row.actor_member_id,
      email: row.actor_email,
      personalTokenId: row.actor_personal_token_id,
    },
    target: { type: row.target_type as AuditTargetType, id: row.target_id },
    appId: row.app_id,
    environment: row.environment as Environment | null,
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: fromJsonText<Record<string, AuditDetail>>(row.details, {}),
  };
}
