// Invalidation reaches every process: synchronously in one, through Redis pub/sub within a second across two.
import { createLogger } from '../../../internal/src/logger';
import { connectRedis } from '../../../internal/src/redis';
import { describeWithRedis } from '../../../internal/src/testing/test-redis';
import { memoryInvalidationBus, redisInvalidationBus, type Invalidation } from './invalidation';

const logger = createLogger({ level: 'silent' });

describe('memoryInvalidationBus', () => {
  test('listeners hear an event before publish resolves, and stop hearing it once unsubscribed', async () => {
    const bus = memoryInvalidationBus();
    const heard: Invalidation[] = [];
    const stop = bus.subscribe((e) => heard.push(e));
    await bus.publish({ type: 'credential', credentialId: 'key_1' });
    expect(heard).toEqual([{ type: 'credential', credentialId: 'key_1' }]);
    stop();
    await bus.publish({ type: 'all' });
    expect(heard).toHaveLength(1);
  });
});

describe('connectRedis', () => {
  test('an unreachable Redis fails start-up quickly instead of queueing', async () => {
    await expect(
      connectRedis({ url: 'redis://127.0.0.1:1', name: 'portico-test', connectTimeoutMs: 500 }),
    ).rejects.toThrow(/unreachable/);
  });
});

describeWithRedis('redisInvalidationBus', (redis) => {
  test('a revoke published by one process reaches another within 1 second (delay printed)', async () => {
    const a = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
    const b = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
    try {
      const local: Invalidation[] = [];
      a.subscribe((e) => local.push(e));
      const received = new Promise<number>((resolve) => {
        b.subscribe((e) => {
          if (e.type === 'credential' && e.credentialId === 'key_revoked') resolve(performance.now());
        });
      });
      const sentAt = performance.now();
      await a.publish({ type: 'credential', credentialId: 'key_revoked', digest: 'd1' });
      // The publishing process itself does not wait for the round trip.
      expect(local).toEqual([{ type: 'credential', credentialId: 'key_revoked', digest: 'd1' }]);
      const delayMs = (await received) - sentAt;
      console.log(`invalidation delay across processes: ${delayMs.toFixed(2)} ms`);
      expect(delayMs).toBeLessThan(1000);
      expect(local).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('buses with another prefix hear nothing', async () => {
    const a = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
    const other = await redisInvalidationBus({ url: redis.url, prefix: `${redis.prefix}-other`, logger });
    const same = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
    try {
      const heardByOther: Invalidation[] = [];
      other.subscribe((e) => heardByOther.push(e));
      const heardBySame = new Promise<Invalidation>((resolve) => same.subscribe(resolve));
      await a.publish({ type: 'all' });
      expect(await heardBySame).toEqual({ type: 'all' });
      expect(heardByOther).toEqual([]);
    } finally {
      await Promise.all([a.close(), other.close(), same.close()]);
    }
  });

  test('after the subscriber loses its connection and comes back, listeners are told to drop everything', async () => {
    const bus = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
    const admin = await connectRedis({ url: redis.url, name: 'portico-test-admin' });
    try {
      const heard = new Promise<Invalidation>((resolve) => bus.subscribe(resolve));
      const clients = String(await admin.call('CLIENT', 'LIST'));
      const line = clients
        .split('\n')
        .find((l) => l.includes(`name=portico-invalidation-sub:${redis.prefix} `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      // Kill only this suite's subscriber: other runs may share the Redis server.
      await admin.call('CLIENT', 'KILL', 'ID', id!);
      expect(await heard).toEqual({ type: 'all' });
      // And it hears other processes again. Waiting for that also lets ioredis's own re-SUBSCRIBE finish before
      // the bus closes: cut off in flight, its (unhandled) promise rejects after this suite has ended.
      const other = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
      try {
        const again = new Promise<Invalidation>((resolve) =>
          bus.subscribe((event) => {
            if (event.type === 'credential') resolve(event);
          }),
        );
        await other.publish({ type: 'credential', credentialId: 'key_after', digest: 'd2' });
        expect(await again).toEqual({ type: 'credential', credentialId: 'key_after', digest: 'd2' });
      } finally {
        await other.close();
      }
    } finally {
      admin.disconnect();
      await bus.close();
    }
  });
});
