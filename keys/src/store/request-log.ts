// The request log: one row per metered request (never a header, query or body), written by recordUsage in the same
// transaction as the batch's counts, searched by the portal (listRequests) and pruned after a retention period.
import type { Kysely } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { fetchPage } from '../../../internal/src/store/paging';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { KeysTables, RequestLogTable } from './schema';

/** recordUsage's request-log options: 7 days, and 1000 expired rows deleted per batch (plus the batch's own). */
export const REQUEST_LOG_DEFAULTS = { retentionMs: 7 * 86_400_000, prunePerBatch: 1000 } as const;

/** The longest path kept; a longer one is cut (the log is for finding a request, not for replaying it). */
export const MAX_LOGGED_PATH_LENGTH = 1024;

export interface RequestLogInput {
  /** The gateway's `X-Request-Id` (`req_…`). */
  requestId: string;
  partnerId: string;
  appId: string;
  credentialId: string;
  environment: Environment;
  api: string;
  operationId: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  latencyMs: number;
  startedAt: string;
  finishedAt: string;
}

/** The platform spec's RequestLogEntry. */
export interface RequestLogEntry {
  id: string;
  appId: string;
  credentialId: string;
  environment: Environment;
  api: string;
  operationId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  startedAt: string;
  finishedAt: string;
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export interface RequestLogFilter {
  requestId?: string;
  appId?: string;
  credentialId?: string;
  operationId?: string;
  status?: number;
  statusClass?: StatusClass;
  environment?: Environment;
  /** Inclusive lower bound on startedAt (stored form). */
  from?: string;
  /** Exclusive upper bound on startedAt (stored form). */
  to?: string;
}

/**
 * Inserts entries inside the caller's transaction. A request id already logged is skipped (`on conflict do
 * nothing`): the batch id already keeps a retried batch out, this keeps the log single even if an entry were sent
 * in two batches.
 */
export async function insertRequestLog(
  db: Kysely<KeysTables>,
  entries: readonly RequestLogInput[],
): Promise<void> {
  const rows: RequestLogTable[] = entries.map((e) => ({
    id: e.requestId,
    partner_id: e.partnerId,
    app_id: e.appId,
    credential_id: e.credentialId,
    environment: e.environment,
    api: e.api,
    operation_id: e.operationId,
    method: e.method,
    path: e.path.length > MAX_LOGGED_PATH_LENGTH ? e.path.slice(0, MAX_LOGGED_PATH_LENGTH) : e.path,
    status: e.status,
    latency_ms: Math.max(0, Math.round(e.latencyMs)),
    started_at: e.startedAt,
    finished_at: e.finishedAt,
  }));
  // 13 parameters a row: 500 rows stay well under both engines' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('request_log')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/**
 * Deletes at most `limit` entries that started before `before`, oldest first (one bounded statement, the same SQL on
 * both engines). Returns how many went.
 */
export async function pruneRequestLog(
  deps: Pick<KeysStoreDeps, 'db'>,
  options: { before: string; limit: number },
): Promise<number> {
  const result = await deps.db
    .deleteFrom('request_log')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('request_log')
        .select('id')
        .where('started_at', '<', options.before)
        .orderBy('started_at')
        .limit(options.limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/**
 * The partner's log, newest first (request ids are time-ordered), with the spec's filters. Every condition is on
 * the partner's own rows, so another partner's app, credential or request id simply finds nothing.
 */
export async function listRequests(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  filter: RequestLogFilter,
  page: PageRequest,
): Promise<Page<RequestLogEntry>> {
  let query = deps.db.selectFrom('request_log').selectAll().where('partner_id', '=', scope.partnerId);
  if (filter.requestId !== undefined) query = query.where('id', '=', filter.requestId);
  if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
  if (filter.credentialId !== undefined) query = query.where('credential_id', '=', filter.credentialId);
  if (filter.operationId !== undefined) query = query.where('operation_id', '=', filter.operationId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.statusClass !== undefined) {
    const low = Number(filter.statusClass[0]) * 100;
    query = query.where('status', '>=', low).where('status', '<', low + 100);
  }
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.from !== undefined) query = query.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('started_at', '<', filter.to);
  return fetchPage(query, page, toRequestLogEntry);
}

function toRequestLogEntry(row: RequestLogTable): RequestLogEntry {
  return {
    id: row.id,
    appId: row.app_id,
    credentialId: row.credential_id,
    environment: row.environment as Environment,
    api: row.api,
    operationId: row.operation_id,
    method: row.method,
    path: row.path,
    status: Number(row.status),
    latencyMs: Number(row.latency_ms),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
