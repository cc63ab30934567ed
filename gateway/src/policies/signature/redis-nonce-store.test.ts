// The shared nonce store on a real Redis: atomic once-only across verifiers, the TTL set with the key, the prefix
// respected, and a refusal (never an acceptance) when Redis cannot answer.
import { manualClock } from '../../../../internal/src/clock';
import { connectRedis, type Redis } from '../../../../internal/src/redis';
import { describeWithRedis } from '../../../../internal/src/testing/test-redis';
import { redisNonceStore } from './redis-nonce-store';
import { hmacTestKey, resolverOf, signedRequest } from './testing/signed-requests';
import { createSignatureVerifier } from './verify-signature';

describe('redisNonceStore without Redis', () => {
  test('a command that does not answer within timeoutMs rejects', async () => {
    const hanging = { set: () => new Promise<never>(() => undefined) } as unknown as Redis;
    const nonces = redisNonceStore({ redis: hanging, prefix: 'p', timeoutMs: 5 });
    await expect(nonces.remember('sig_a', 'nonce-1', 1_000)).rejects.toThrow('did not answer within 5 ms');
  });
});

describeWithRedis('redisNonceStore', (testRedis) => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await connectRedis({ url: testRedis.url, name: 'signature-nonce-test' });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${testRedis.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test('a pair is accepted once, with its TTL, under the prefix', async () => {
    const nonces = redisNonceStore({ redis, prefix: `${testRedis.prefix}:nonce` });
    expect(await nonces.remember('sig_a', 'n:1', 60_000)).toBe(true);
    expect(await nonces.remember('sig_a', 'n:1', 60_000)).toBe(false);
    expect(await nonces.remember('sig_a:n', '1', 60_000)).toBe(true);
    const key = `${testRedis.prefix}:nonce:sig_a:n%3A1`;
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test('two verifiers sharing Redis accept a signed request once between them', async () => {
    const key = hmacTestKey();
    const clock = manualClock('2026-01-01T00:00:00.000Z');
    const created = Math.floor(clock.now().getTime() / 1000);
    const [first, second] = [1, 2].map(() =>
      createSignatureVerifier({
        resolveKey: resolverOf(key),
        nonces: redisNonceStore({ redis, prefix: `${testRedis.prefix}:shared` }),
        clock,
      }),
    );
    const request = signedRequest({ key: key.signer, method: 'GET', created });
    const outcomes = await Promise.all([
      first!(request),
      second!(request),
      first!(request),
      second!(request),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['replayed', 'replayed', 'replayed', 'valid']);
  });

  test('with Redis gone, signed requests are refused as nonce_store_unavailable (fail closed)', async () => {
    const doomed = await connectRedis({ url: testRedis.url, name: 'signature-nonce-doomed' });
    doomed.disconnect();
    const key = hmacTestKey();
    const clock = manualClock('2026-01-01T00:00:00.000Z');
    const verify = createSignatureVerifier({
      resolveKey: resolverOf(key),
      nonces: redisNonceStore({ redis: doomed, prefix: `${testRedis.prefix}:doomed` }),
      clock,
    });
    const request = signedRequest({
      key: key.signer,
      method: 'GET',
      created: Math.floor(clock.now().getTime() / 1000),
    });
    expect((await verify(request)).outcome).toBe('nonce_store_unavailable');
  });
});
