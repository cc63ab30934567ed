// The audit side of the portal tests: the contexts a member or the operator acts in when a test goes through the
// store directly, and a partner's audit trail read back from the store.
import { pageRequest } from '../../../../internal/src/pagination';
import {
  listAuditEvents,
  type AuditContext,
  type AuditEvent,
  type AuditEventFilter,
} from '../../../../keys/src/store/audit-events';
import { memberContext, OPERATOR } from '../../../../keys/src/store/test-fixtures';
import type { MemberSession, TestPortal } from './portal-harness';

/** The audit context of a signed-in member acting through the store directly. */
export function contextOf(session: MemberSession): AuditContext {
  return memberContext(session.member);
}

/** The audit context of the operator acting through the store directly. */
export const OPERATOR_CONTEXT: AuditContext = OPERATOR;

/** The partner's audit events matching `filter`, newest first (up to 100). */
export async function auditEvents(
  portal: TestPortal,
  partnerId: string,
  filter: AuditEventFilter = {},
): Promise<AuditEvent[]> {
  return (await listAuditEvents(portal.deps, { partnerId }, filter, pageRequest({ limit: 100 }, 'aud'))).data;
}

/** The stored rows of the audit events about `targetId`, oldest first, exactly as the database holds them. */
export async function auditRows(portal: TestPortal, targetId: string) {
  return portal.deps.db
    .selectFrom('audit_events')
    .selectAll()
    .where('target_id', '=', targetId)
    .orderBy('id')
    .execute();
}
