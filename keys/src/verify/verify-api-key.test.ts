// verifyApiKey against the real store on both engines: format failures never touch the store, warm keys never
// wait on it, and a revoke — in this process or, through Redis, in another — takes effect at once.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../internal/src/logger';
import { describeWithRedis } from '../../../internal/src/testing/test-redis';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateApiKey } from '../domain/key-format';
import { memoryInvalidationBus, redisInvalidationBus, type InvalidationBus } from '../events/invalidation';
import { findApiKeyForVerification } from '../store/api-key-lookup';
import { createApiKey, revokeApiKey } from '../store/api-keys';
import { openKeysStore, signUp, testApp, type TestDeps } from '../store/test-fixtures';
import { VerificationCache } from './verification-cache';
import { createApiKeyVerifier } from './verify-api-key';
import type { KeyRecord } from '../domain/key-verdict';
import type { SecretRing } from '../domain/secret-ring';

const pepper = (id: string) => ({ id, secret: randomBytes(32) });
const P1 = pepper('p1');
const P2 = pepper('p2');

describeEachStore('verifyApiKey', (store) => {
  let deps: TestDeps;
  let lookups: number;

  function verifier(
    ring: SecretRing = createPepperRing([P1]),
    bus: InvalidationBus = memoryInvalidationBus(),
  ) {
    const cache = new VerificationCache<KeyRecord | null>({
      clock: deps.clock,
      ttlMs: 30_000,
      negativeTtlMs: 2_000,
      maxEntries: 10_000,
    }).attach(bus);
    const verify = createApiKeyVerifier({
      lookup: (digests) => {
        lookups += 1;
        return findApiKeyForVerification(deps, digests);
      },
      peppers: ring,
      cache,
      clock: deps.clock,
    });
    return { verify, bus, cache };
  }

  /** A key created the way the management API will: generated, shown once, stored as a digest. */
  async function issueKey(ring: SecretRing = createPepperRing([P1]), options: { expiresAt?: string } = {}) {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const generated = generateApiKey('test');
    const apiKey = await createApiKey(
      deps,
      { partnerId: tenant.partner.id },
      app.id,
      {
        name: 'ci',
        secret: { ...storedDigest(ring, generated.key), prefix: generated.prefix, last4: generated.last4 },
        scopes: ['crm:read'],
        ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
      },
      tenant.as,
    );
    return { key: generated.key, apiKey, app, tenant };
  }

  beforeAll(async () => {
    deps = await openKeysStore(store, 'verify');
  });
  beforeEach(() => {
    lookups = 0;
  });

  test('a valid key verifies with its partner, app, environment, effective scopes and plan', async () => {
    const { key, apiKey, app, tenant } = await issueKey();
    const { verify } = verifier();
    expect(await verify(key)).toEqual({
      outcome: 'valid',
      key: expect.objectContaining({
        keyId: apiKey.id,
        appId: app.id,
        partnerId: tenant.partner.id,
        environment: 'test',
        scopes: ['crm:read'],
        planId: tenant.partner.planId,
      }),
    });
  });

  test.each([
    ['not a key at all', 'hello'],
    ['the wrong prefix', 'sk_live_abcdefghijklmnopqrstuvwxyz0123456789ABCDEF'],
    ['not a string', 42],
  ])('%s is malformed and never reaches the store', async (_label, presented) => {
    const { verify } = verifier();
    expect(await verify(presented)).toEqual({ outcome: 'malformed' });
    expect(lookups).toBe(0);
  });

  test('a one-character typo fails the checksum and never reaches the store', async () => {
    const { key } = await issueKey();
    const typo = `${key.slice(0, 20)}${key[20] === 'A' ? 'B' : 'A'}${key.slice(21)}`;
    const { verify } = verifier();
    expect(await verify(typo)).toEqual({ outcome: 'malformed' });
    expect(lookups).toBe(0);
  });

  test('a warm key is answered from the cache; an unknown key is remembered only briefly', async () => {
    const { key } = await issueKey();
    const { verify } = verifier();
    await verify(key);
    await verify(key);
    expect(lookups).toBe(1);
    const unknown = generateApiKey('test').key;
    expect(await verify(unknown)).toEqual({ outcome: 'not_found' });
    expect(await verify(unknown)).toEqual({ outcome: 'not_found' });
    expect(lookups).toBe(2);
    deps.clock.advance(2_000);
    await verify(unknown);
    expect(lookups).toBe(3);
  });

  test('concurrent first requests for one key share a single lookup', async () => {
    const { key } = await issueKey();
    const { verify } = verifier();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => verify(key)));
    expect(new Set(outcomes.map((o) => o.outcome))).toEqual(new Set(['valid']));
    expect(lookups).toBe(1);
  });

  test('rejects a revoked key even when cached, as soon as the revoke is published', async () => {
    const { key, apiKey, app, tenant } = await issueKey();
    const { verify, bus } = verifier();
    expect((await verify(key)).outcome).toBe('valid');
    const { digest } = await revokeApiKey(
      deps,
      { partnerId: tenant.partner.id },
      app.id,
      apiKey.id,
      tenant.as,
    );
    await bus.publish({ type: 'credential', credentialId: apiKey.id, digest });
    expect(await verify(key)).toEqual({ outcome: 'revoked' });
  });

  test('a cached key still expires on time, without asking the store', async () => {
    const expiresAt = new Date(deps.clock.now().getTime() + 10_000).toISOString();
    const { key } = await issueKey(createPepperRing([P1]), { expiresAt });
    const { verify } = verifier();
    expect((await verify(key)).outcome).toBe('valid');
    // Well within the cache's 30 s TTL: the cached record is re-decided at the time of the call.
    deps.clock.advance(10_000);
    expect(await verify(key)).toEqual({ outcome: 'expired' });
    expect(lookups).toBe(1);
  });

  test('keys stored under a previous pepper keep working after the pepper rotates', async () => {
    const { key } = await issueKey(createPepperRing([P1]));
    const { verify } = verifier(createPepperRing([P2, P1]));
    expect((await verify(key)).outcome).toBe('valid');
    expect(lookups).toBe(1);
  });

  test('a key never reaches another environment: a live-looking copy of a test key is not found', async () => {
    const { key } = await issueKey();
    const { verify } = verifier();
    // Relabelling breaks the checksum, so it is malformed before any lookup.
    expect(await verify(key.replace('ptc_test_', 'ptc_live_'))).toEqual({ outcome: 'malformed' });
  });

  describeWithRedis('across processes', (redis) => {
    test('a revoke in one process is refused by another within 1 second (delay printed)', async () => {
      const logger = createLogger({ level: 'silent' });
      const busA = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
      const busB = await redisInvalidationBus({ url: redis.url, prefix: redis.prefix, logger });
      try {
        const { key, apiKey, app, tenant } = await issueKey();
        const a = verifier(createPepperRing([P1]), busA);
        const b = verifier(createPepperRing([P1]), busB);
        expect((await a.verify(key)).outcome).toBe('valid');
        expect((await b.verify(key)).outcome).toBe('valid');
        const { digest } = await revokeApiKey(
          deps,
          { partnerId: tenant.partner.id },
          app.id,
          apiKey.id,
          tenant.as,
        );
        const revokedAt = performance.now();
        await busA.publish({ type: 'credential', credentialId: apiKey.id, digest });
        expect((await a.verify(key)).outcome).toBe('revoked');
        let outcome = (await b.verify(key)).outcome;
        while (outcome === 'valid' && performance.now() - revokedAt < 2_000) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          outcome = (await b.verify(key)).outcome;
        }
        const delayMs = performance.now() - revokedAt;
        console.log(`revoke reached the other process's verifier after ${delayMs.toFixed(1)} ms`);
        expect(outcome).toBe('revoked');
        expect(delayMs).toBeLessThan(1_000);
      } finally {
        await busA.close();
        await busB.close();
      }
    });
  });
});
