// Declares Redis-backed suites: they run when REDIS_URL is set (and fail, not skip, when it is set but Redis is
// unreachable), and are reported as skipped with the reason otherwise. Each suite gets its own key prefix.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { connectRedis } from '../redis';

export interface TestRedis {
  url: string;
  /** A prefix unique to this suite and run, for keys and channels. */
  prefix: string;
}

export function describeWithRedis(title: string, body: (redis: TestRedis) => void): void {
  const { redisUrl } = loadConfig();
  if (!redisUrl) {
    describe.skip(`${title} [redis] (skipped: REDIS_URL is not set)`, () => {
      test('runs with Redis', () => undefined);
    });
    return;
  }
  describe(`${title} [redis]`, () => {
    body({ url: redisUrl, prefix: `portico-test:${process.pid}:${randomBytes(4).toString('hex')}` });
  });
}

/** Deletes every key under `prefix` (a suite's or a benchmark's), with SCAN so that a large Redis is not blocked. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = await connectRedis({ url, name: 'portico-test-cleanup' });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
