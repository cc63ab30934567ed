// Repeats a probe until it reports done or a deadline passes: for what another process or a reconnecting client
// does on its own time (an invalidation crossing Redis, ioredis reconnecting), never to wait out our own timers.
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves with the probe's last value and how long it took; rejects with `what` when the deadline passes. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<{ done: boolean; value: T }>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  for (;;) {
    const { done, value } = await probe();
    const elapsedMs = performance.now() - started;
    if (done) return { value, elapsedMs };
    if (elapsedMs > options.timeoutMs) {
      throw new Error(`${what}: not within ${options.timeoutMs} ms (last: ${JSON.stringify(value)})`);
    }
    await delay(options.intervalMs ?? 20);
  }
}
