// The gateway's usage meter (DESIGN.md "Metering"): one event per finished request, folded in memory into hourly
// counts with a latency histogram per (app, UTC hour, credential, api, operation, status), plus one request-log
// entry, and written in batches by a timer, never on the response path. Every batch carries an id that is kept
// across retries, so keys/src/store/usage.ts applies it (counts and log) once.
import type { Logger } from 'pino';
import type { Clock } from '../../../../internal/src/clock';
import type { Environment } from '../../../../internal/src/http/locals';
import type { IdGenerator } from '../../../../internal/src/ids';
import { MAX_LOGGED_PATH_LENGTH, type RequestLogInput } from '../../../../keys/src/store/request-log';
import { LATENCY_BUCKET_COLUMNS, latencyBucketOf, type UsageCount } from '../../../../keys/src/store/usage';

/** What the gateway knows about a request once its response has finished. */
export interface UsageEvent {
  partnerId: string;
  appId: string;
  environment: Environment;
  /** The API key, OAuth client or signing key id: counted per credential and logged. */
  credentialId: string;
  api: string;
  operationId: string;
  /** The HTTP method and the path without its query string (which may carry personal data), for the log. */
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  /** Identifies the request in the log, not in the counts. */
  requestId: string;
}

/** keys/src/store/usage.ts recordUsage bound to a store: false when the batch id was applied before. */
export type RecordUsage = (
  batchId: string,
  counts: readonly UsageCount[],
  requests: readonly RequestLogInput[],
) => Promise<boolean>;

export interface UsageMeterOptions {
  record: RecordUsage;
  clock: Clock;
  logger: Logger;
  newId: IdGenerator;
  /** How often the timer writes what was collected. Default 1000 ms. */
  flushIntervalMs?: number;
  /**
   * Events held in memory (collected plus awaiting a retry) before new ones are dropped and counted. Each event
   * holds one request-log entry, so this bounds the log buffer too. Counts are best effort next to the response: a
   * store that stays down must not grow the gateway's memory without bound. Default 100 000.
   */
  maxBufferedEvents?: number;
  /** The longest wait between retries of a failed write (the wait doubles from flushIntervalMs). Default 30 000. */
  maxRetryDelayMs?: number;
  /** Called once per flush with the events dropped since the last one (for `usageDropped` in the metrics). */
  onDropped?: (count: number) => void;
}

export interface UsageMeterStats {
  /** Events not yet in the store: collected, or in a batch awaiting its retry. */
  bufferedEvents: number;
  /** Rows those events fold into. */
  bufferedRows: number;
  /** Request-log entries held (one per buffered event). */
  bufferedLogEntries: number;
  /** Events dropped since start: over maxBufferedEvents, or recorded after close. Monotonic. */
  droppedEvents: number;
  batchesWritten: number;
  /** Batches the store had already applied (a retry after a write whose answer was lost). */
  batchesAlreadyApplied: number;
  failedWrites: number;
  /** Failed writes since the last success; non-zero while a batch awaits its retry. */
  consecutiveFailures: number;
}

export interface UsageMeter {
  /** Adds one finished request; a Map update, never I/O. */
  record(event: UsageEvent): void;
  /** Writes what is buffered now, even during a retry back-off (the timer honours the back-off). */
  flush(): Promise<void>;
  /** Stops the timer and makes a last write; events recorded afterwards are dropped. */
  close(): Promise<void>;
  stats(): UsageMeterStats;
}

export const USAGE_METER_DEFAULTS = {
  flushIntervalMs: 1000,
  maxBufferedEvents: 100_000,
  maxRetryDelayMs: 30_000,
} as const;

interface Batch {
  id: string;
  counts: UsageCount[];
  requests: RequestLogInput[];
  events: number;
}

/** A log entry as recorded on the response path; timestamps are formatted when its batch is sealed. */
interface PendingEntry {
  event: UsageEvent;
  latencyMs: number;
  finishedAtMs: number;
}

type CollectedCount = UsageCount & { latencyBuckets: number[] };

export function createUsageMeter(options: UsageMeterOptions): UsageMeter {
  const flushIntervalMs = options.flushIntervalMs ?? USAGE_METER_DEFAULTS.flushIntervalMs;
  const maxBufferedEvents = options.maxBufferedEvents ?? USAGE_METER_DEFAULTS.maxBufferedEvents;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? USAGE_METER_DEFAULTS.maxRetryDelayMs;
  const { clock, logger } = options;

  let collecting = new Map<string, CollectedCount>();
  let collectingLog: PendingEntry[] = [];
  let collectingEvents = 0;
  // At most one sealed batch: it is retried exactly as it was first sent. New events never join it, because if the
  // first attempt did commit (and only its answer was lost) the store would discard the retry as a whole.
  let sealed: Batch | undefined;
  let droppedSinceFlush = 0;
  let retryAtMs = 0;
  let closed = false;
  let queuedWrites = 0;
  let writing: Promise<void> = Promise.resolve();
  const stats = {
    droppedEvents: 0,
    batchesWritten: 0,
    batchesAlreadyApplied: 0,
    failedWrites: 0,
    consecutiveFailures: 0,
  };

  const bufferedEvents = () => collectingEvents + (sealed?.events ?? 0);

  const drop = () => {
    stats.droppedEvents += 1;
    droppedSinceFlush += 1;
  };

  const seal = (): boolean => {
    if (collecting.size === 0) return false;
    sealed = {
      id: options.newId('bat'),
      counts: [...collecting.values()],
      requests: collectingLog.map(toLogInput),
      events: collectingEvents,
    };
    collecting = new Map();
    collectingLog = [];
    collectingEvents = 0;
    return true;
  };

  const reportDrops = () => {
    if (droppedSinceFlush === 0) return;
    const count = droppedSinceFlush;
    droppedSinceFlush = 0;
    logger.warn({ dropped: count, maxBufferedEvents }, 'usage events dropped: the meter buffer is full');
    try {
      options.onDropped?.(count);
    } catch (error) {
      logger.warn({ err: error }, 'usage drop callback failed');
    }
  };

  /** One write attempt, plus (after a retried batch went through) one for what was collected meanwhile. */
  const writeOnce = async (force: boolean): Promise<void> => {
    reportDrops();
    if (!force && clock.now().getTime() < retryAtMs) return;
    if (!sealed) seal();
    for (let attempt = 0; attempt < 2 && sealed; attempt++) {
      const batch: Batch = sealed;
      try {
        const applied = await options.record(batch.id, batch.counts, batch.requests);
        if (applied) stats.batchesWritten += 1;
        else {
          stats.batchesAlreadyApplied += 1;
          logger.info({ batchId: batch.id }, 'usage batch was already applied; not counted again');
        }
        sealed = undefined;
        stats.consecutiveFailures = 0;
        retryAtMs = 0;
      } catch (error) {
        stats.failedWrites += 1;
        stats.consecutiveFailures += 1;
        const delayMs = Math.min(maxRetryDelayMs, flushIntervalMs * 2 ** (stats.consecutiveFailures - 1));
        retryAtMs = clock.now().getTime() + delayMs;
        logger.warn(
          {
            err: error,
            batchId: batch.id,
            events: batch.events,
            rows: batch.counts.length,
            retryInMs: delayMs,
          },
          'could not write usage; the batch is kept and retried with the same id',
        );
        return;
      }
      // Only a batch carried over from an earlier flush makes room for a second write in this one; a fresh batch
      // already holds everything collected up to now.
      if (attempt === 0 && !seal()) break;
    }
  };

  const run = (force: boolean): Promise<void> => {
    queuedWrites += 1;
    // Writes are chained, so a slow store never sees two batches of this process at once.
    writing = writing.then(async () => {
      try {
        await writeOnce(force);
      } finally {
        queuedWrites -= 1;
      }
    });
    return writing;
  };

  const timer = setInterval(() => {
    // A write still in progress keeps its place; the timer does not queue more behind it.
    if (queuedWrites === 0) void run(false);
  }, flushIntervalMs);
  // The timer alone must not keep a process alive; graceful shutdown calls close().
  timer.unref();

  const utcHour = utcHourFormatter();
  return {
    record(event) {
      if (closed || bufferedEvents() >= maxBufferedEvents) {
        drop();
        return;
      }
      // The hour the response finished, in UTC: the store's `hour` column, whose day the quota windows use.
      const finishedAtMs = clock.now().getTime();
      const hour = utcHour(finishedAtMs);
      const status = event.status;
      // NUL cannot occur in ids, API names or operation ids: the joined key is unambiguous.
      const key = `${event.appId}\u0000${hour}\u0000${event.credentialId}\u0000${event.api}\u0000${event.operationId}\u0000${status}`;
      // The store keeps whole milliseconds (a bigint column); rounding per event keeps the total unbiased.
      const latencyMs = Math.max(0, Math.round(event.latencyMs));
      const bucket = latencyBucketOf(latencyMs);
      const existing = collecting.get(key);
      if (existing) {
        existing.count += 1;
        existing.latencyMsTotal += latencyMs;
        existing.latencyBuckets[bucket]! += 1;
      } else {
        const latencyBuckets: number[] = LATENCY_BUCKET_COLUMNS.map(() => 0);
        latencyBuckets[bucket] = 1;
        collecting.set(key, {
          partnerId: event.partnerId,
          appId: event.appId,
          environment: event.environment,
          hour,
          credentialId: event.credentialId,
          api: event.api,
          operationId: event.operationId,
          status,
          count: 1,
          latencyMsTotal: latencyMs,
          latencyBuckets,
        });
      }
      collectingLog.push({ event, latencyMs, finishedAtMs });
      collectingEvents += 1;
    },
    flush: () => run(true),
    async close() {
      if (!closed) {
        closed = true;
        clearInterval(timer);
      }
      await run(true);
      reportDrops();
      const lost = bufferedEvents();
      if (lost > 0) logger.error({ events: lost }, 'usage not written at shutdown; these counts are lost');
    },
    stats: () => ({
      ...stats,
      bufferedEvents: bufferedEvents(),
      bufferedRows: collecting.size + (sealed?.counts.length ?? 0),
      bufferedLogEntries: collectingLog.length + (sealed?.requests.length ?? 0),
    }),
  };
}

function toLogInput({ event, latencyMs, finishedAtMs }: PendingEntry): RequestLogInput {
  return {
    requestId: event.requestId,
    partnerId: event.partnerId,
    appId: event.appId,
    credentialId: event.credentialId,
    environment: event.environment,
    api: event.api,
    operationId: event.operationId,
    method: event.method,
    path:
      event.path.length > MAX_LOGGED_PATH_LENGTH ? event.path.slice(0, MAX_LOGGED_PATH_LENGTH) : event.path,
    status: event.status,
    latencyMs,
    startedAt: new Date(finishedAtMs - latencyMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
  };
}

const HOUR_MS = 3_600_000;

/** `YYYY-MM-DDTHH:00:00.000Z` of a UTC time, formatted once per hour rather than once per request. */
function utcHourFormatter(): (timeMs: number) => string {
  let lastHourNumber = -1;
  let lastHour = '';
  return (timeMs) => {
    const hourNumber = Math.floor(timeMs / HOUR_MS);
    if (hourNumber !== lastHourNumber) {
      lastHour = new Date(hourNumber * HOUR_MS).toISOString();
      lastHourNumber = hourNumber;
    }
    return lastHour;
  };
}
