// A ring of server-side secrets with ids: the current one (used for everything new) and older ones (still
// accepted for what they produced), so that a pepper or an encryption key can be rotated without downtime.

export interface RingSecret {
  /** A short public name stored beside what the secret produced (`2026a`), never the secret itself. */
  readonly id: string;
  readonly secret: Buffer;
}

export interface SecretRing {
  readonly current: RingSecret;
  /** Every secret of the ring, current included, by id. */
  readonly byId: ReadonlyMap<string, RingSecret>;
}

export interface RingRules {
  /** What the secrets are, for error messages (`key pepper`). */
  readonly name: string;
  readonly minBytes: number;
  /** Set when the algorithm needs an exact length (AES-256: 32 bytes). */
  readonly exactBytes?: number;
}

/** As internal/src/config.ts accepts them; never `:`, which separates the parts of a stored ciphertext. */
export const RING_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Builds a ring from the configured list (config.keyPeppers, config.secretKeys: `id:base64url,…`, current first).
 * Throws on an invalid ring (a configuration error, found at start-up); messages name the id at fault and never
 * include secret material. The buffers are copied.
 */
export function createSecretRing(secrets: readonly RingSecret[], rules: RingRules): SecretRing {
  const [first] = secrets;
  if (first === undefined) throw new Error(`${rules.name}: at least one is required`);
  const byId = new Map<string, RingSecret>();
  for (const { id, secret } of secrets) {
    if (!RING_ID_PATTERN.test(id)) {
      throw new Error(`${rules.name}: id ${JSON.stringify(id)} must be 1-32 letters, digits, _ or -`);
    }
    if (byId.has(id)) throw new Error(`${rules.name}: id ${id} appears twice`);
    if (rules.exactBytes !== undefined && secret.length !== rules.exactBytes) {
      throw new Error(`${rules.name} ${id}: must be exactly ${rules.exactBytes} bytes, is ${secret.length}`);
    }
    if (secret.length < rules.minBytes) {
      throw new Error(`${rules.name} ${id}: must be at least ${rules.minBytes} bytes, is ${secret.length}`);
    }
    byId.set(id, Object.freeze({ id, secret: Buffer.from(secret) }));
  }
  return Object.freeze({ current: byId.get(first.id) as RingSecret, byId });
}
