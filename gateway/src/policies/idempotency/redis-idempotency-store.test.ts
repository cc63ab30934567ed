// The shared store: the same contract as the memory store on a real Redis, the TTLs Redis holds (it keeps its own
// time, so expiry is read from PTTL instead of advanced), two gateway processes sharing keys, and fail-closed
// answers (503 + Retry-After, never a pass-through) when Redis is down or does not answer.
import net from 'node:net';
import { Redis } from 'ioredis';
import { manualClock } from '../../../../internal/src/clock';
import { connectRedis } from '../../../../internal/src/redis';
import { describeWithRedis } from '../../../../internal/src/testing/test-redis';
import { createIdempotency } from './idempotency';
import { redisIdempotencyStore } from './redis-idempotency-store';
import {
  IN_FLIGHT_TTL_SECONDS,
  idempotencyStoreContract,
  policyOver,
  proceeding,
  refusal,
  upstreamAnswer,
} from './testing/store-contract';

const DAY_MS = 86_400_000;
const request = { appId: 'app_one', key: 'order:2026/0001', fingerprint: 'fp-1' };

describe('redisIdempotencyStore without a working Redis', () => {
  test('a command that does not answer within timeoutMs is a 503, not a wait', async () => {
    const hanging = { set: () => new Promise<never>(() => undefined) } as unknown as Redis;
    const policy = policyOver(
      redisIdempotencyStore({ redis: hanging, keyPrefix: 'p', timeoutMs: 5 }),
      manualClock(),
    );
    const problem = await refusal(policy.begin(request));
    expect([problem.status, problem.code, problem.options.headers]).toEqual([
      503,
      'service_unavailable',
      { 'Retry-After': '1' },
    ]);
    expect(problem.message).toContain('did not answer within 5 ms');
  });

  test('a failed completion is reported as data and keeps the marker (no retry runs the operation again)', async () => {
    const evalCalls: string[] = [];
    const flaky = {
      set: async () => null,
      eval: async (script: string) => {
        evalCalls.push(script.includes("'DEL'") ? 'release' : 'complete');
        throw new Error('connection reset');
      },
    } as unknown as Redis;
    const policy = policyOver(redisIdempotencyStore({ redis: flaky, keyPrefix: 'p' }), manualClock());
    const outcome = await proceeding(await policy.begin(request)).complete(upstreamAnswer('{}'));
    expect(outcome).toEqual({ kind: 'store_error', error: new Error('connection reset') });
    expect(evalCalls).toEqual(['complete']);
  });

  test('an unreadable record is a 503, never a guess', async () => {
    const garbled = { set: async () => '{"state":"completed"}' } as unknown as Redis;
    const policy = policyOver(redisIdempotencyStore({ redis: garbled, keyPrefix: 'p' }), manualClock());
    expect((await refusal(policy.begin(request))).status).toBe(503);
  });

  describe('with Redis unreachable (a closed port, no offline queue)', () => {
    let client: Redis;
    beforeAll(async () => {
      client = new Redis({
        host: '127.0.0.1',
        port: await closedPort(),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 200,
        // The refused socket never closes cleanly; do not let ioredis wait 2 s for it after the suite.
        disconnectTimeout: 10,
      });
      client.on('error', () => undefined);
      await client.connect().catch(() => undefined);
    });
    afterAll(() => client.disconnect());

    test('begin fails closed with 503 + Retry-After at once: the offline queue is off, so nothing waits', async () => {
      // timeoutMs is far beyond the test's own timeout: only an immediate refusal from the client can pass.
      const store = redisIdempotencyStore({ redis: client, keyPrefix: 'p', timeoutMs: 3_600_000 });
      const policy = createIdempotency({
        store,
        clock: manualClock(),
        inFlightTtlSeconds: 90,
        retryAfterSeconds: 2,
      });
      const problem = await refusal(policy.begin(request));
      expect([problem.status, problem.code, problem.options.headers]).toEqual([
        503,
        'service_unavailable',
        { 'Retry-After': '2' },
      ]);
      expect(problem.message).toMatch(/writeable|not ready|closed/i);
    }, 2_000);
  });
});

describeWithRedis('redisIdempotencyStore', (testRedis) => {
  let redis: Redis;
  let other: Redis;
  const keyPrefix = `${testRedis.prefix}:idempotency`;
  const clock = manualClock();
  beforeAll(async () => {
    redis = await connectRedis({ url: testRedis.url, name: 'idempotency-test' });
    other = await connectRedis({ url: testRedis.url, name: 'idempotency-test-other' });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${testRedis.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    other.disconnect();
  });

  // Alternate clients, so a test that begins twice also shows two processes sharing the state.
  let turn = 0;
  idempotencyStoreContract(() => ({
    store: () => redisIdempotencyStore({ redis: turn++ % 2 === 0 ? redis : other, keyPrefix }),
    clock,
  }));

  test('records live under the prefix, per app, with the in-flight and the 24 h TTLs', async () => {
    const policy = policyOver(redisIdempotencyStore({ redis, keyPrefix }), clock);
    const redisKey = `${keyPrefix}:app_one:${encodeURIComponent(request.key)}`;
    const first = proceeding(await policy.begin(request));
    const inFlightTtl = await redis.pttl(redisKey);
    expect(inFlightTtl).toBeGreaterThan(IN_FLIGHT_TTL_SECONDS * 1000 - 60_000);
    expect(inFlightTtl).toBeLessThanOrEqual(IN_FLIGHT_TTL_SECONDS * 1000);

    const body = Buffer.from([0x00, 0xff, 0x7b, 0x0a]);
    expect(await first.complete({ status: 200, headers: {}, body })).toEqual({ kind: 'stored' });
    const completedTtl = await redis.pttl(redisKey);
    expect(completedTtl).toBeGreaterThan(DAY_MS - 60_000);
    expect(completedTtl).toBeLessThanOrEqual(DAY_MS);
    const stored = JSON.parse((await redis.get(redisKey))!);
    expect(stored).toMatchObject({ state: 'completed', status: 200, bodyBase64: body.toString('base64') });

    const replayed = await policyOver(redisIdempotencyStore({ redis: other, keyPrefix }), clock).begin(
      request,
    );
    expect(replayed.kind === 'replay' && replayed.response.body.equals(body)).toBe(true);
  });

  test('an in-flight marker that Redis expired frees the key, and the late request cannot complete', async () => {
    const policy = policyOver(redisIdempotencyStore({ redis, keyPrefix }), clock);
    const scoped = { ...request, key: 'crash-test-0001' };
    const crashed = proceeding(await policy.begin(scoped));
    // Redis keeps its own time: expiring the key is what its TTL would do 90 s from now.
    await redis.pexpire(`${keyPrefix}:app_one:${scoped.key}`, 1);
    await waitUntilGone(redis, `${keyPrefix}:app_one:${scoped.key}`);
    const retry = proceeding(await policy.begin(scoped));
    expect(await crashed.complete(upstreamAnswer('too late'))).toEqual({ kind: 'claim_lost' });
    await retry.complete(upstreamAnswer('retry'));
    const replayed = await policy.begin(scoped);
    expect(replayed.kind === 'replay' && replayed.response.body.toString()).toBe('retry');
  });
});

/** A port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilGone(redis: Redis, key: string): Promise<void> {
  while ((await redis.exists(key)) === 1) await new Promise((resolve) => setTimeout(resolve, 2));
}
