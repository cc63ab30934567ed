// Hourly request counts per app and credential, written by the gateway's meter in batches off the response path,
// with the batch's request-log entries. A batch is one transaction: its id is recorded first, so a retried batch
// (same id) is recognised and neither its counts nor its log entries are added twice.
import { sql } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { KeysStoreDeps } from './deps';
import { insertRequestLog, pruneRequestLog, REQUEST_LOG_DEFAULTS, type RequestLogInput } from './request-log';
import type { UsageHourlyTable } from './schema';

/**
 * Upper bounds (ms, inclusive) of the latency histogram's buckets; a last bucket holds everything slower. Fixed:
 * buckets of different bounds could not be added together (migration 0005 made the columns).
 */
export const LATENCY_BUCKET_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** The bucket columns in bound order, the overflow bucket last (LATENCY_BUCKET_BOUNDS_MS.length + 1 of them). */
export const LATENCY_BUCKET_COLUMNS = [
  'latency_le_5',
  'latency_le_10',
  'latency_le_25',
  'latency_le_50',
  'latency_le_100',
  'latency_le_250',
  'latency_le_500',
  'latency_le_1000',
  'latency_le_2500',
  'latency_le_5000',
  'latency_le_10000',
  'latency_le_inf',
] as const satisfies ReadonlyArray<keyof UsageHourlyTable>;

/** The index of the bucket a latency (whole ms) falls in: the first bound it does not exceed, or the overflow. */
export function latencyBucketOf(latencyMs: number): number {
  for (let i = 0; i < LATENCY_BUCKET_BOUNDS_MS.length; i++) {
    if (latencyMs <= LATENCY_BUCKET_BOUNDS_MS[i]!) return i;
  }
  return LATENCY_BUCKET_BOUNDS_MS.length;
}

export interface UsageCount {
  partnerId: string;
  appId: string;
  environment: Environment;
  /** UTC hour start, `YYYY-MM-DDTHH:00:00.000Z`. */
  hour: string;
  /** The API key, OAuth client or signing key that made the requests. */
  credentialId: string;
  api: string;
  operationId: string;
  status: number;
  count: number;
  latencyMsTotal: number;
  /**
   * Requests per latency bucket (LATENCY_BUCKET_COLUMNS order), adding up to `count`. Absent: the whole count goes
   * in the bucket of the average latency.
   */
  latencyBuckets?: readonly number[];
}

export interface RecordUsageOptions {
  /**
   * How long request-log entries are kept, counted from their start. Each batch then deletes at most
   * `prunePerBatch` expired entries (plus as many as it wrote, so that pruning keeps pace with the traffic), so a
   * write never stalls on a large backlog. Default 7 days.
   */
  requestLogRetentionMs?: number;
  /** Default 1000. */
  prunePerBatch?: number;
}

/**
 * Adds a batch of counts with one portable upsert (`insert … on conflict (…) do update set count = count +
 * excluded.count`, the same SQL on SQLite and PostgreSQL), and inserts its request-log entries. Counts for the same
 * key are summed here first: PostgreSQL refuses an INSERT … ON CONFLICT that would touch one row twice. Returns
 * false when the batch was already applied (nothing is written then).
 */
export async function recordUsage(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  batchId: string,
  counts: readonly UsageCount[],
  requests: readonly RequestLogInput[] = [],
  options: RecordUsageOptions = {},
): Promise<boolean> {
  const merged = new Map<string, UsageHourlyTable>();
  for (const c of counts) {
    const buckets = c.latencyBuckets ?? averageBuckets(c.count, c.latencyMsTotal);
    const key = JSON.stringify([c.appId, c.hour, c.credentialId, c.api, c.operationId, c.status]);
    const existing = merged.get(key);
    if (existing) {
      existing.count += c.count;
      existing.latency_ms_total += c.latencyMsTotal;
      LATENCY_BUCKET_COLUMNS.forEach((column, i) => (existing[column] += buckets[i] ?? 0));
      continue;
    }
    const row: UsageHourlyTable = {
      partner_id: c.partnerId,
      app_id: c.appId,
      environment: c.environment,
      hour: c.hour,
      credential_id: c.credentialId,
      api: c.api,
      operation_id: c.operationId,
      status: c.status,
      count: c.count,
      latency_ms_total: c.latencyMsTotal,
      ...(Object.fromEntries(LATENCY_BUCKET_COLUMNS.map((column, i) => [column, buckets[i] ?? 0])) as Record<
        (typeof LATENCY_BUCKET_COLUMNS)[number],
        number
      >),
    };
    merged.set(key, row);
  }
  const applied = await deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('usage_batches')
      .values({ id: batchId, applied_at: deps.clock.now().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    const rows = [...merged.values()];
    const added = Object.fromEntries(
      (['count', 'latency_ms_total', ...LATENCY_BUCKET_COLUMNS] as const).map((column) => [
        column,
        sql<number>`${sql.ref(`usage_hourly.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
      ]),
    );
    // 22 parameters a row: 200 rows stay well under SQLite's and PostgreSQL's bound-parameter limits.
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('usage_hourly')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) =>
          oc.columns(['app_id', 'hour', 'credential_id', 'api', 'operation_id', 'status']).doUpdateSet(added),
        )
        .execute();
    }
    await insertRequestLog(trx, requests);
    return true;
  });
  if (applied) {
    // After the commit: a failed prune must not undo the batch (its retry is then recognised as applied).
    const retentionMs = options.requestLogRetentionMs ?? REQUEST_LOG_DEFAULTS.retentionMs;
    const before = new Date(deps.clock.now().getTime() - retentionMs).toISOString();
    const limit = (options.prunePerBatch ?? REQUEST_LOG_DEFAULTS.prunePerBatch) + requests.length;
    await pruneRequestLog(deps, { before, limit });
    await pruneUsageBatches(deps, { before, limit });
  }
  return applied;
}

/** The histogram of `count` requests whose only known latency is their average: all in that average's bucket. */
function averageBuckets(count: number, latencyMsTotal: number): number[] {
  const buckets: number[] = LATENCY_BUCKET_COLUMNS.map(() => 0);
  if (count > 0) buckets[latencyBucketOf(latencyMsTotal / count)] = count;
  return buckets;
}

/**
 * Forgets batch ids applied before `before`, oldest first, at most `limit` of them. A meter retries a batch within
 * seconds or minutes of its first attempt, so ids older than the request log's retention can never come back;
 * without this the table would grow by one row per batch per gateway forever.
 */
export async function pruneUsageBatches(
  deps: Pick<KeysStoreDeps, 'db'>,
  options: { before: string; limit: number },
): Promise<number> {
  const result = await deps.db
    .deleteFrom('usage_batches')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('usage_batches')
        .select('id')
        .where('applied_at', '<', options.before)
        .orderBy('applied_at')
        .limit(options.limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
