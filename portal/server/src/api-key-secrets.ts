// What the API key operations share: a fresh `ptc_<env>_…` key and the keyed digest the store keeps of it (the
// full key leaves only in the create or roll response), and the check that a requested expiry lies ahead.
import type { Environment } from '../../../internal/src/http/locals';
import { ProblemError } from '../../../internal/src/problem/problem';
import { toStoredTimestamp } from '../../../internal/src/store/timestamps';
import { storedDigest } from '../../../keys/src/domain/key-digest';
import { generateApiKey } from '../../../keys/src/domain/key-format';
import type { StoredKeySecret } from '../../../keys/src/store/api-keys';
import type { PortalDeps } from './deps';

/** A new key for an app of `environment`: the key to show once, and its digest under the current pepper. */
export function newApiKeySecret(
  deps: Pick<PortalDeps, 'peppers'>,
  environment: Environment,
): { key: string; stored: StoredKeySecret } {
  const generated = generateApiKey(environment);
  return {
    key: generated.key,
    stored: {
      ...storedDigest(deps.peppers, generated.key),
      prefix: generated.prefix,
      last4: generated.last4,
    },
  };
}

/**
 * A requested `expiresAt` in the stored form: null when absent or null (the key does not expire), a 422 naming
 * `/expiresAt` when it is not in the future (the spec: a key cannot be born expired).
 */
export function futureExpiresAt(
  deps: Pick<PortalDeps, 'clock'>,
  expiresAt: string | null | undefined,
): string | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  const stored = toStoredTimestamp(expiresAt, '/expiresAt');
  if (Date.parse(stored) <= deps.clock.now().getTime()) {
    throw new ProblemError('unprocessable', `expiresAt '${expiresAt}' is not in the future.`, {
      errors: [{ pointer: '/expiresAt', detail: 'must be in the future' }],
    });
  }
  return stored;
}
