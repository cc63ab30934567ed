// Daily request counts per app, written by the gateway's meter in batches off the response path. A batch is one
// transaction: its id is recorded first, so a retried batch (same id) is recognised and counted once.
import { sql } from 'kysely';
import type { Environment } from '../../../internal/src/http/locals';
import type { KeysStoreDeps } from './deps';
import type { UsageDailyTable } from './schema';

export interface UsageCount {
  partnerId: string;
  appId: string;
  environment: Environment;
  /** UTC `YYYY-MM-DD`. */
  day: string;
  api: string;
  operationId: string;
  status: number;
  count: number;
  latencyMsTotal: number;
}

/**
 * Adds a batch of counts with one portable upsert (`insert … on conflict (…) do update set count = count +
 * excluded.count`, the same SQL on SQLite and PostgreSQL). Counts for the same key are summed here first: PostgreSQL
 * refuses an INSERT … ON CONFLICT that would touch one row twice. Returns false when the batch was already applied.
 */
export async function recordUsage(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  batchId: string,
  counts: readonly UsageCount[],
): Promise<boolean> {
  const merged = new Map<string, UsageDailyTable>();
  for (const c of counts) {
    const key = JSON.stringify([c.appId, c.day, c.api, c.operationId, c.status]);
    const existing = merged.get(key);
    if (existing) {
      existing.count += c.count;
      existing.latency_ms_total += c.latencyMsTotal;
      continue;
    }
    merged.set(key, {
      partner_id: c.partnerId,
      app_id: c.appId,
      environment: c.environment,
      day: c.day,
      api: c.api,
      operation_id: c.operationId,
      status: c.status,
      count: c.count,
      latency_ms_total: c.latencyMsTotal,
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('usage_batches')
      .values({ id: batchId, applied_at: deps.clock.now().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    const rows = [...merged.values()];
    // 9 parameters a row: 500 rows stay well under SQLite's and PostgreSQL's bound-parameter limits.
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('usage_daily')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['app_id', 'day', 'api', 'operation_id', 'status']).doUpdateSet({
            count: sql<number>`usage_daily.count + excluded.count`,
            latency_ms_total: sql<number>`usage_daily.latency_ms_total + excluded.latency_ms_total`,
          }),
        )
        .execute();
    }
    return true;
  });
}
