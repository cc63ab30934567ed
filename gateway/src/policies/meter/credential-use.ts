// Last-used times of the credentials the gateway accepted (DESIGN.md: recorded off the hot path, in batches): one
// keys/src/verify/last-used-recorder per scheme, each writing with its table's touch function from keys/src/store.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../../../internal/src/clock';
import { touchApiKeys } from '../../../../keys/src/store/api-keys';
import { touchOAuthClients } from '../../../../keys/src/store/oauth-clients';
import type { KeysTables } from '../../../../keys/src/store/schema';
import { touchSigningKeys } from '../../../../keys/src/store/signing-keys';
import {
  createLastUsedRecorder,
  type LastUsedRecorder,
  type TouchCredentials,
} from '../../../../keys/src/verify/last-used-recorder';
import type { AuthScheme } from '../authenticate/caller';

export interface CredentialUseOptions {
  db: Kysely<KeysTables>;
  clock: Clock;
  logger: Logger;
  /** How often collected ids are written. Default 5000 ms: last-used is shown to people, not used to decide. */
  flushIntervalMs?: number;
  /** This many distinct ids of one scheme are written without waiting for the timer. Default 1000. */
  maxBatch?: number;
}

export interface CredentialUse {
  /** `credentialId` is GatewayCaller.credentialId: the API key id, OAuth client id or signing key id. */
  record(scheme: AuthScheme, credentialId: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const CREDENTIAL_USE_DEFAULTS = { flushIntervalMs: 5000, maxBatch: 1000 } as const;

export function createCredentialUse(options: CredentialUseOptions): CredentialUse {
  const deps = { db: options.db };
  const touches: Record<AuthScheme, TouchCredentials> = {
    apiKey: (ids, usedAt) => touchApiKeys(deps, ids, usedAt),
    oauth2: (ids, usedAt) => touchOAuthClients(deps, ids, usedAt),
    signature: (ids, usedAt) => touchSigningKeys(deps, ids, usedAt),
  };
  const recorders = Object.fromEntries(
    Object.entries(touches).map(([scheme, touch]) => [
      scheme,
      createLastUsedRecorder({
        touch,
        clock: options.clock,
        logger: options.logger.child({ credentialScheme: scheme }),
        flushIntervalMs: options.flushIntervalMs ?? CREDENTIAL_USE_DEFAULTS.flushIntervalMs,
        maxBatch: options.maxBatch ?? CREDENTIAL_USE_DEFAULTS.maxBatch,
      }),
    ]),
  ) as Record<AuthScheme, LastUsedRecorder>;
  const all = Object.values(recorders);

  return {
    record(scheme, credentialId) {
      recorders[scheme].record(credentialId);
    },
    async flush() {
      await Promise.all(all.map((r) => r.flush()));
    },
    async close() {
      await Promise.all(all.map((r) => r.close()));
    },
  };
}
