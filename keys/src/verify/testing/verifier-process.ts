// A second gateway-like process for tests: it verifies API keys against the same store with its own cache and its
// own Redis invalidation subscription, and answers `verify` requests from its parent over IPC.
import { createLogger } from '../../../../internal/src/logger';
import { systemClock } from '../../../../internal/src/clock';
import { openDatabase, type DatabaseTarget } from '../../../../internal/src/store/database';
import { createPepperRing } from '../../domain/key-digest';
import type { KeyRecord } from '../../domain/key-verdict';
import { redisInvalidationBus } from '../../events/invalidation';
import { findApiKeyForVerification } from '../../store/api-key-lookup';
import type { KeysTables } from '../../store/schema';
import { VerificationCache } from '../verification-cache';
import { createApiKeyVerifier } from '../verify-api-key';

export interface VerifierProcessOptions {
  target: DatabaseTarget;
  peppers: Array<{ id: string; secret: string }>;
  redisUrl: string;
  redisPrefix: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]!) as VerifierProcessOptions;
  const logger = createLogger({ level: 'silent' });
  const database = await openDatabase<KeysTables>(options.target);
  const bus = await redisInvalidationBus({ url: options.redisUrl, prefix: options.redisPrefix, logger });
  const cache = new VerificationCache<KeyRecord | null>({
    clock: systemClock,
    ttlMs: 60_000,
    negativeTtlMs: 2_000,
    maxEntries: 1_000,
  }).attach(bus);
  const verify = createApiKeyVerifier({
    lookup: (digests) => findApiKeyForVerification({ db: database.db }, digests),
    peppers: createPepperRing(
      options.peppers.map((p) => ({ id: p.id, secret: Buffer.from(p.secret, 'base64url') })),
    ),
    cache,
    clock: systemClock,
  });
  process.on('message', (message: { id: number; verify?: string; stop?: true }) => {
    if (message.stop) {
      void Promise.all([bus.close(), database.close()]).then(() => process.exit(0));
      return;
    }
    void verify(message.verify).then((outcome) =>
      process.send!({ id: message.id, outcome: outcome.outcome }),
    );
  });
  process.send!({ ready: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`verifier process failed: ${String(error)}\n`);
  process.exit(1);
});
