// The append-only history of a grant. Events are only ever inserted, in the same transaction as the change they
// record, so the history cannot disagree with the balances.
import { fetchPage } from '../../../../internal/src/store/paging';
import type { IdGenerator } from '../../../../internal/src/ids';
import { type PageRequest, type Page } from '../../../../internal/src/pagination';
import type { TenantScope } from '../../../../internal/src/store/query-helpers';
import type { Executor } from './deps';
import type { GrantEventsTable } from './schema';

export type GrantEventType =
  'granted' | 'redeemed' | 'reversed' | 'suspended' | 'resumed' | 'revoked' | 'expired';

export interface GrantEvent {
  id: string;
  grantId: string;
  type: GrantEventType;
  occurredAt: string;
  redemptionId?: string;
  itemId?: string;
  quantity?: number;
  reason?: string;
  createdAt: string;
}

export interface NewGrantEvent {
  grantId: string;
  type: GrantEventType;
  occurredAt: string;
  redemptionId?: string;
  itemId?: string;
  quantity?: number;
  reason?: string;
}

function toGrantEvent(row: GrantEventsTable): GrantEvent {
  return {
    id: row.id,
    grantId: row.grant_id,
    type: row.type as GrantEventType,
    occurredAt: row.occurred_at,
    ...(row.redemption_id !== null ? { redemptionId: row.redemption_id } : {}),
    ...(row.item_id !== null ? { itemId: row.item_id } : {}),
    ...(row.quantity !== null ? { quantity: Number(row.quantity) } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
    createdAt: row.created_at,
  };
}

export async function appendGrantEvent(
  db: Executor,
  deps: { newId: IdGenerator; now: string },
  scope: TenantScope,
  event: NewGrantEvent,
): Promise<void> {
  await db
    .insertInto('grant_events')
    .values({
      id: deps.newId('gev'),
      partner_id: scope.partnerId,
      environment: scope.environment,
      grant_id: event.grantId,
      type: event.type,
      occurred_at: event.occurredAt,
      redemption_id: event.redemptionId ?? null,
      item_id: event.itemId ?? null,
      quantity: event.quantity ?? null,
      reason: event.reason ?? null,
      created_at: deps.now,
    })
    .execute();
}

export async function listGrantEvents(
  db: Executor,
  scope: TenantScope,
  grantId: string,
  filter: { type?: GrantEventType },
  page: PageRequest,
): Promise<Page<GrantEvent>> {
  let query = db
    .selectFrom('grant_events')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .where('grant_id', '=', grantId);
  if (filter.type) query = query.where('type', '=', filter.type);
  return fetchPage(query, page, toGrantEvent);
}
