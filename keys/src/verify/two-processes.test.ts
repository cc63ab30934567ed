// The acceptance test of DESIGN.md's promise: two processes share the store and Redis; a key revoked in one is
// refused by the other within 1 second. The delay is measured and printed.
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../../internal/src/clock';
import { createIdGenerator } from '../../../internal/src/ids';
import { createLogger } from '../../../internal/src/logger';
import { describeWithRedis } from '../../../internal/src/testing/test-redis';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateApiKey } from '../domain/key-format';
import { redisInvalidationBus } from '../events/invalidation';
import { createApiKey, revokeApiKey } from '../store/api-keys';
import { signUp, testApp } from '../store/test-fixtures';
import { keysMigrations } from '../store/migrations';
import type { KeysTables } from '../store/schema';
import { VerifierProcess } from './testing/verifier-client';

describeEachStore('revocation across processes', (store) => {
  describeWithRedis('two processes sharing Redis', (redis) => {
    test('a key revoked in this process is refused by the other within 1 second (delay printed)', async () => {
      const database = await store.open<KeysTables>('two_processes', keysMigrations);
      const deps = { db: database.db, clock: systemClock, newId: createIdGenerator() };
      const pepper = { id: 'p1', secret: randomBytes(32) };
      const ring = createPepperRing([pepper]);
      const tenant = await signUp(deps);
      const app = await testApp(deps, tenant);
      const generated = generateApiKey('test');
      const apiKey = await createApiKey(
        deps,
        { partnerId: tenant.partner.id },
        app.id,
        {
          name: 'k',
          secret: { ...storedDigest(ring, generated.key), prefix: generated.prefix, last4: generated.last4 },
        },
        tenant.as,
      );
      const dialect = database.dialect;
      const other = await VerifierProcess.start({
        target: database.target,
        peppers: [{ id: pepper.id, secret: pepper.secret.toString('base64url') }],
        redisUrl: redis.url,
        redisPrefix: redis.prefix,
      });
      const bus = await redisInvalidationBus({
        url: redis.url,
        prefix: redis.prefix,
        logger: createLogger({ level: 'silent' }),
      });
      try {
        expect(await other.verify(generated.key)).toBe('valid');
        const started = performance.now();
        const { digest } = await revokeApiKey(
          deps,
          { partnerId: tenant.partner.id },
          app.id,
          apiKey.id,
          tenant.as,
        );
        await bus.publish({ type: 'credential', credentialId: apiKey.id, digest });
        let outcome = await other.verify(generated.key);
        while (outcome === 'valid' && performance.now() - started < 3_000)
          outcome = await other.verify(generated.key);
        const delayMs = performance.now() - started;
        console.log(`[${dialect}] revoke → refused by the other process after ${delayMs.toFixed(1)} ms`);
        expect(outcome).toBe('revoked');
        expect(delayMs).toBeLessThan(1_000);
      } finally {
        await bus.close();
        await other.stop();
      }
    });
  });
});
