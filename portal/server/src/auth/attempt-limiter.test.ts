// The sign-in limiter counts attempts before they are made, so a burst of concurrent guesses cannot pass a check
// that was made first: exactly `maxFailures` go ahead per window, in memory and through Redis alike.
import { manualClock } from '../../../../internal/src/clock';
import { createLogger } from '../../../../internal/src/logger';
import { connectRedis, type Redis } from '../../../../internal/src/redis';
import { describeWithRedis } from '../../../../internal/src/testing/test-redis';
import { memoryAttemptLimiter, redisAttemptLimiter, type AttemptLimiter } from './attempt-limiter';

const RULE = { maxFailures: 10, windowSeconds: 900 };

function behavesAsALimiter(make: (clock: ReturnType<typeof manualClock>) => AttemptLimiter) {
  test('60 concurrent attempts: exactly 10 go ahead, the rest wait for the end of the window', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const limiter = make(clock);
    const waits = await Promise.all(Array.from({ length: 60 }, () => limiter.attempt('li.wei@jade.example')));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    expect(Math.max(...waits)).toBeLessThanOrEqual(900);
    expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(0);
    expect(await limiter.attempt('another@jade.example')).toBe(0);
  });

  test('forgive gives one attempt back; reset clears the key', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const limiter = make(clock);
    for (let i = 0; i < 10; i += 1) expect(await limiter.attempt('k')).toBe(0);
    expect(await limiter.attempt('k')).toBeGreaterThan(0);
    await limiter.forgive('k');
    await limiter.forgive('k');
    expect(await limiter.attempt('k')).toBe(0);
    await limiter.reset('k');
    for (let i = 0; i < 10; i += 1) expect(await limiter.attempt('k')).toBe(0);
  });
}

describe('memory attempt limiter', () => {
  behavesAsALimiter((clock) => memoryAttemptLimiter(RULE, clock));

  test('the window ends on the clock', async () => {
    const clock = manualClock('2026-11-24T10:00:00.000Z');
    const limiter = memoryAttemptLimiter(RULE, clock);
    for (let i = 0; i < 10; i += 1) await limiter.attempt('k');
    expect(await limiter.attempt('k')).toBe(900);
    clock.advance(900_000);
    expect(await limiter.attempt('k')).toBe(0);
  });
});

describeWithRedis('redis attempt limiter', (redisInfo) => {
  let redis: Redis;
  let run = 0;
  beforeAll(async () => {
    redis = await connectRedis({ url: redisInfo.url, name: 'attempt-limiter-test' });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${redisInfo.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  behavesAsALimiter((clock) => {
    run += 1;
    return redisAttemptLimiter({
      redis,
      prefix: `${redisInfo.prefix}:${run}`,
      name: 'login-address',
      rule: RULE,
      clock,
      logger: createLogger({ level: 'silent' }),
    });
  });

  test('two processes’ limiters share one count, and an email never appears in Redis', async () => {
    const make = () =>
      redisAttemptLimiter({
        redis,
        prefix: `${redisInfo.prefix}:shared`,
        name: 'login-address',
        rule: RULE,
        clock: manualClock(),
        logger: createLogger({ level: 'silent' }),
      });
    const [a, b] = [make(), make()];
    const waits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).attempt('li.wei@jade.example')),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    const keys = await redis.keys(`${redisInfo.prefix}:shared*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('jade');
  });
});
