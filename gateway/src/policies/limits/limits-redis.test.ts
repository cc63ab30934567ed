// The limits on a shared Redis, with two limiter instances on two connections standing for two gateway processes:
// a quota is exact across them, rate limits are shared and reset with their window, and a connection lost mid-run
// falls back to the documented policy and resumes counting in Redis once it is back.
import { once } from 'node:events';
import { manualClock, type ManualClock } from '../../../../internal/src/clock';
import { connectRedis, type Redis } from '../../../../internal/src/redis';
import { describeWithRedis } from '../../../../internal/src/testing/test-redis';
import type { LimitDecision } from './limit-decisions';
import { createLimits, type Limits, type PlanLimits } from './limits';
import type { LimiterStoreError } from './limits-options';

const count = (decisions: LimitDecision[], outcome: LimitDecision['outcome']) =>
  decisions.filter((d) => d.outcome === outcome).length;

describeWithRedis('limits', (redis) => {
  const clients: Redis[] = [];
  let clock: ManualClock;
  let run = 0;

  /**
   * One gateway process. `storeTimeoutMs` is raised where a test is about counting, not about the deadline (which
   * limits-store-down.test.ts covers): on a loaded machine 500 concurrent calls can outlast 100 ms of event loop,
   * and a test of exactness must not turn on that.
   */
  async function process(
    events: LimiterStoreError[] = [],
    storeTimeoutMs = 100,
  ): Promise<{ limits: Limits; client: Redis }> {
    const client = await connectRedis({ url: redis.url, name: `portico-limits-test-${clients.length}` });
    clients.push(client);
    const limits = createLimits({
      clock,
      storeClient: client,
      keyPrefix: `${redis.prefix}:limits`,
      processCount: 2,
      storeTimeoutMs,
      onStoreError: (event) => events.push(event),
    });
    return { limits, client };
  }

  beforeEach(() => {
    clock = manualClock('2026-01-01T12:00:00.000Z');
    run += 1;
  });

  afterAll(async () => {
    const cleaner = await connectRedis({ url: redis.url, name: 'portico-limits-test-cleanup' });
    let cursor = '0';
    do {
      const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${redis.prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await cleaner.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await Promise.all([cleaner, ...clients].map((c) => c.quit().catch(() => c.disconnect())));
  });

  test('a quota of 100 admits exactly 100 of 500 concurrent requests split across two processes', async () => {
    const [a, b] = [await process([], 5_000), await process([], 5_000)];
    const app = `app_exact_${run}`;
    const plan: PlanLimits = {
      rateLimits: [{ name: 'burst', limit: 1_000, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 100, period: 'day' }],
    };
    const decisions = await Promise.all(
      Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b).limits.consume(app, plan)),
    );
    expect(count(decisions, 'admitted')).toBe(100);
    expect(count(decisions, 'limited')).toBe(400);
    expect(decisions.find((d) => d.outcome === 'limited')).toMatchObject({
      violated: { kind: 'quota', name: 'day' },
      retryAfterSeconds: 12 * 3600,
    });
    // Refused requests gave their unit back: both processes read exactly the admitted count.
    for (const p of [a, b]) {
      expect(await p.limits.readQuotaUsage(app, plan)).toMatchObject([
        { name: 'day', used: 100, remaining: 0 },
      ]);
    }
  });

  test('a rate limit is shared by the processes and resets when its window ends', async () => {
    const [a, b] = [await process(), await process()];
    const app = `app_rate_${run}`;
    const plan: PlanLimits = { rateLimits: [{ name: 'burst', limit: 3, windowSeconds: 1 }], quotas: [] };
    expect((await a.limits.consume(app, plan)).outcome).toBe('admitted');
    expect((await b.limits.consume(app, plan)).outcome).toBe('admitted');
    expect(await a.limits.consume(app, plan)).toMatchObject({
      outcome: 'admitted',
      headers: { RateLimit: '"burst";r=0;t=1' },
    });
    expect(await b.limits.consume(app, plan)).toMatchObject({
      outcome: 'limited',
      retryAfterSeconds: 1,
      headers: { 'Retry-After': '1' },
    });
    clock.advance(1_000);
    expect(await b.limits.consume(app, plan)).toMatchObject({
      outcome: 'admitted',
      headers: { RateLimit: '"burst";r=2;t=1' },
    });
  });

  test('failed authentications counted by either process block the address', async () => {
    const [a, b] = [await process(), await process()];
    const ip = `203.0.113.${run}`;
    for (let i = 0; i < 60; i += 1) await (i % 2 === 0 ? a : b).limits.recordAuthFailure(ip);
    await b.limits.recordAuthFailure(ip);
    expect(await b.limits.consumePreAuth(ip)).toMatchObject({ outcome: 'limited', retryAfterSeconds: 300 });
  });

  test('a connection lost mid-run falls back at once, and counting resumes in Redis when it returns', async () => {
    const events: LimiterStoreError[] = [];
    const [a, b] = [await process(events), await process()];
    const app = `app_reconnect_${run}`;
    const rate: PlanLimits = { rateLimits: [{ name: 'minute', limit: 10, windowSeconds: 60 }], quotas: [] };
    const quota: PlanLimits = { rateLimits: [], quotas: [{ name: 'day', limit: 100, period: 'day' }] };
    expect((await a.limits.consume(app, quota)).outcome).toBe('admitted');

    // Requests in flight when the connection drops, and requests after it: all settle, none is a 429.
    const inFlight = Array.from({ length: 20 }, () => a.limits.consume(app, quota));
    a.client.disconnect();
    const settled = await Promise.all(inFlight);
    expect(count(settled, 'limited')).toBe(0);
    expect((await a.limits.consume(app, quota)).outcome).toBe('unavailable');
    const rateDecisions: LimitDecision[] = [];
    for (let i = 0; i < 6; i += 1) rateDecisions.push(await a.limits.consume(app, rate));
    expect(rateDecisions.map((d) => d.outcome)).toEqual([...Array(5).fill('admitted'), 'limited']);
    expect(events.some((e) => e.reason === 'not_ready' && e.fallback === 'insurance')).toBe(true);

    if (a.client.status !== 'end') await once(a.client, 'end');
    await a.client.connect();
    const used = (await b.limits.readQuotaUsage(app, quota))[0]!.used;
    expect((await a.limits.consume(app, quota)).outcome).toBe('admitted');
    expect((await b.limits.readQuotaUsage(app, quota))[0]!.used).toBe(used + 1);
    // The rate limit counts in Redis again: b sees a's requests.
    for (let i = 0; i < 10; i += 1) expect((await a.limits.consume(app, rate)).outcome).toBe('admitted');
    expect((await b.limits.consume(app, rate)).outcome).toBe('limited');
  });
});
