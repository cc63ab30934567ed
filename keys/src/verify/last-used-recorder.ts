// Records that credentials were used, off the hot path (DESIGN.md): the gateway calls record(keyId) per request —
// a Set insert — and a timer writes the collected ids in one batched UPDATE every few seconds and at shutdown.
import type { Logger } from 'pino';
import type { Clock } from '../../../internal/src/clock';

/** Writes `usedAt` as the last-used time of these credentials (keys/src/store/api-keys.ts touchApiKeys). */
export type TouchCredentials = (ids: readonly string[], usedAt: string) => Promise<number>;

export interface LastUsedRecorder {
  record(id: string): void;
  /** Writes what has been recorded so far (also called by the timer and by close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface LastUsedRecorderOptions {
  touch: TouchCredentials;
  clock: Clock;
  logger: Logger;
  flushIntervalMs: number;
  /** A batch this large is written without waiting for the timer. */
  maxBatch: number;
  /** Ids kept for a retry after a failed write; beyond it the oldest are dropped (last-used is best effort). */
  maxPending?: number;
}

export function createLastUsedRecorder(options: LastUsedRecorderOptions): LastUsedRecorder {
  const maxPending = options.maxPending ?? options.maxBatch * 10;
  let pending = new Set<string>();
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    // Writes are chained, so two flushes never race and a time never goes backwards within this process.
    writing = writing.then(async () => {
      if (pending.size === 0) return;
      const batch = [...pending];
      pending = new Set();
      try {
        await options.touch(batch, options.clock.now().toISOString());
      } catch (error) {
        options.logger.warn(
          { err: error, count: batch.length },
          'could not record last-used times; will retry',
        );
        for (const id of batch) if (pending.size < maxPending) pending.add(id);
      }
    });
    return writing;
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  // The timer alone must not keep a process alive; shutdown calls close().
  timer.unref();

  return {
    record(id) {
      pending.add(id);
      if (pending.size >= options.maxBatch) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
