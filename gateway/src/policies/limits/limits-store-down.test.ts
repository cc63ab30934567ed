// DESIGN.md's Redis-unreachable policy, with no Redis needed: a client pointed at a port nothing listens on, and a
// server that accepts connections and never answers. Rate limits fall back to a per-process limiter sized limit/N,
// quotas answer 503 with Retry-After, every other failure mode is an option, and no call outlives its deadline.
import net from 'node:net';
import { Redis } from 'ioredis';
import { manualClock } from '../../../../internal/src/clock';
import type { LimitDecision } from './limit-decisions';
import { createLimits, type PlanLimits } from './limits';
import type { LimiterStoreError, LimitsOptions } from './limits-options';

// The acceptance bound for a request while Redis is down; the deadline itself is 100 ms.
const ACCEPTABLE_WAIT_MS = 1_000;

const RATE_ONLY: PlanLimits = { rateLimits: [{ name: 'minute', limit: 10, windowSeconds: 60 }], quotas: [] };
const QUOTA_ONLY: PlanLimits = { rateLimits: [], quotas: [{ name: 'day', limit: 100, period: 'day' }] };

function limitsOver(client: Redis, extra: Partial<LimitsOptions> = {}) {
  const events: LimiterStoreError[] = [];
  const limits = createLimits({
    clock: manualClock('2026-01-01T12:00:00.000Z'),
    storeClient: client,
    processCount: 2,
    onStoreError: (event) => events.push(event),
    ...extra,
  });
  return { limits, events };
}

/** Runs `call` and fails the test if it took longer than the acceptance bound. */
async function timed(call: () => Promise<LimitDecision>): Promise<LimitDecision> {
  const started = performance.now();
  const decision = await call();
  expect(performance.now() - started).toBeLessThan(ACCEPTABLE_WAIT_MS);
  return decision;
}

describe('limits with Redis unreachable', () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
  });
  afterAll(() => client.disconnect());

  test('rate limits count in this process, sized limit/N, and say why', async () => {
    const { limits, events } = limitsOver(client);
    const decisions: LimitDecision[] = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await timed(() => limits.consume('app_1', RATE_ONLY)));
    // 10 a minute across 2 processes: this one admits 5.
    expect(decisions.map((d) => d.outcome)).toEqual([...Array(5).fill('admitted'), 'limited']);
    expect(decisions[0]!.headers['RateLimit']).toBe('"minute";r=4;t=60');
    expect(events).toHaveLength(6);
    expect(events[0]).toMatchObject({
      limiter: 'rate_limit',
      policy: 'minute',
      reason: 'not_ready',
      operation: 'consume',
      fallback: 'insurance',
    });
  });

  test('quotas fail closed by default: 503 with Retry-After, never a 429', async () => {
    const { limits, events } = limitsOver(client);
    const decision = await timed(() => limits.consume('app_1', QUOTA_ONLY));
    if (decision.outcome !== 'unavailable') throw new Error(`expected unavailable, got ${decision.outcome}`);
    expect(decision.problem.status).toBe(503);
    expect(decision.problem.code).toBe('service_unavailable');
    expect(decision.headers).toEqual({ 'RateLimit-Policy': '"day";q=100;w=86400', 'Retry-After': '2' });
    expect(events[0]).toMatchObject({ limiter: 'quota', reason: 'not_ready', fallback: 'deny' });
    await expect(limits.readQuotaUsage('app_1', QUOTA_ONLY)).rejects.toThrow('not ready');
  });

  test.each([
    [{ rateLimits: { onStoreError: 'allow' } }, RATE_ONLY, 'admitted'],
    [{ rateLimits: { onStoreError: 'deny' } }, RATE_ONLY, 'unavailable'],
    [{ quotas: { onStoreError: 'allow' } }, QUOTA_ONLY, 'admitted'],
  ] as const)('the failure mode is an option: %j', async (options, plan, outcome) => {
    const { limits } = limitsOver(client, options);
    const decision = await timed(() => limits.consume('app_1', plan));
    expect(decision.outcome).toBe(outcome);
    // Without a count there is nothing to report in RateLimit; the policy is still announced.
    expect(decision.headers['RateLimit']).toBeUndefined();
    expect(decision.headers['RateLimit-Policy']).toBeDefined();
  });

  test('the per-IP limiter, when shared, falls back to its insurance too', async () => {
    const { limits, events } = limitsOver(client, { preAuth: { limit: 4, windowSeconds: 1, shared: true } });
    const outcomes = [];
    for (let i = 0; i < 3; i += 1)
      outcomes.push((await timed(() => limits.consumePreAuth('203.0.113.9'))).outcome);
    expect(outcomes).toEqual(['admitted', 'admitted', 'limited']);
    expect(events[0]).toMatchObject({ limiter: 'pre_auth', fallback: 'insurance' });
  });

  test('the per-IP limiter counts in process memory by default: no Redis call, the full limit', async () => {
    const { limits, events } = limitsOver(client, { preAuth: { limit: 4, windowSeconds: 1 } });
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) outcomes.push((await limits.consumePreAuth('203.0.113.9')).outcome);
    expect(outcomes).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'limited']);
    expect(events).toEqual([]);
  });
});

describe('limits with a Redis that accepts connections and never answers', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let client: Redis;
  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    // No handshake (RESP2, no CLIENT SETINFO) and no ready check: the client believes it is connected at once,
    // so only the deadline can end a command.
    client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      protocol: 2,
      disableClientInfo: true,
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    client.disconnect();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a rate limit gives up after the deadline and counts in the insurance limiter', async () => {
    const { limits, events } = limitsOver(client, { storeTimeoutMs: 100 });
    const decision = await timed(() => limits.consume('app_1', RATE_ONLY));
    expect(decision).toMatchObject({ outcome: 'admitted', headers: { RateLimit: '"minute";r=4;t=60' } });
    expect(events).toEqual([expect.objectContaining({ reason: 'timeout', fallback: 'insurance' })]);
  });

  test('one budget per request: a rate limit and two quotas together wait one deadline, not three', async () => {
    const { limits } = limitsOver(client, { storeTimeoutMs: 300, quotas: { onStoreError: 'allow' } });
    const plan = {
      rateLimits: [{ name: 'burst', limit: 10, windowSeconds: 1 }],
      quotas: [
        { name: 'day', limit: 100, period: 'day' as const },
        { name: 'month', limit: 1000, period: 'month' as const },
      ],
    };
    const started = performance.now();
    const decision = await limits.consume('app_budget', plan);
    // Three store calls in a row, each allowed the full deadline, would take 900 ms; sharing one budget, ~300 ms.
    // (The margin is for a noisy machine: the bound tells one budget from three, nothing finer.)
    expect(performance.now() - started).toBeLessThan(600);
    expect(decision.outcome).toBe('admitted');
  });

  test('after three timeouts in a row the store is skipped for a moment: the next requests fail over at once', async () => {
    const { limits, events } = limitsOver(client, { storeTimeoutMs: 50 });
    for (let i = 0; i < 3; i += 1) await limits.consume(`app_hung_${i}`, QUOTA_ONLY);
    expect(events.map((e) => e.reason)).toEqual(['timeout', 'timeout', 'timeout']);
    expect((await limits.consume('app_hung_next', QUOTA_ONLY)).outcome).toBe('unavailable');
    // `not_ready`: refused without a round trip (a timeout would say `timeout`).
    expect(events.at(-1)).toMatchObject({ reason: 'not_ready', fallback: 'deny' });
  });

  test('a quota gives up after the deadline and answers 503', async () => {
    const { limits, events } = limitsOver(client, { storeTimeoutMs: 100 });
    expect((await timed(() => limits.consume('app_1', QUOTA_ONLY))).outcome).toBe('unavailable');
    expect(events).toEqual([
      expect.objectContaining({ limiter: 'quota', reason: 'timeout', fallback: 'deny' }),
    ]);
  });
});
