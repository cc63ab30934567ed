// Request-signing keys made in the control-plane store the way the portal's create-signing-key.ts and
// revoke-signing-key.ts make them (HMAC secrets sealed with PORTICO_SECRET_KEYS, Ed25519 public keys registered as
// JWK, revocation followed by the invalidation), handed back as the signer keys a partner would hold.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createSecretBoxRing, sealSecret } from '../../../../keys/src/domain/secret-box';
import type { InvalidationBus } from '../../../../keys/src/events/invalidation';
import { SYSTEM_CONTEXT } from '../../../../keys/src/store/audit-events';
import {
  createSigningKey,
  revokeSigningKey,
  signingKeyContext,
  type SigningKeyInput,
} from '../../../../keys/src/store/signing-keys';
import type { SignerKey } from '../../policies/signature';
import type { TestCredential, TestPlatform } from '../../testing/test-platform';

/**
 * A new HMAC key of the credential's app; its secret is the UTF-8 bytes of the `pts_…` text (specs/signatures).
 * `secretText` replaces the generated secret, sealed as the store seals it: only for the golden vectors, whose
 * published secret is deliberately not in the `pts_…` format.
 */
export async function createHmacSigningKey(
  platform: TestPlatform,
  credential: TestCredential,
  options: { keyId?: string; secretText?: string } = {},
): Promise<SignerKey & { secretText: string }> {
  const created = await create(platform, credential, { algorithm: 'hmac-sha256', name: 'e2e hmac' }, options);
  let secretText = created.secret!;
  if (options.secretText !== undefined) {
    secretText = options.secretText;
    const secretBox = secretBoxOf(platform);
    await platform.store.db
      .updateTable('signing_keys')
      .set({
        secret_ciphertext: sealSecret(secretBox, secretText, signingKeyContext(created.signingKey.id)),
        encryption_key_id: secretBox.current.id,
      })
      .where('id', '=', created.signingKey.id)
      .execute();
  }
  return {
    keyId: created.signingKey.id,
    algorithm: 'hmac-sha256',
    secret: Buffer.from(secretText, 'utf8'),
    secretText,
  };
}

/**
 * Registers the public half of an Ed25519 pair (a fresh one by default) for the app, as a partner does in the
 * portal; Portico never sees `privateKey`.
 */
export async function registerEd25519SigningKey(
  platform: TestPlatform,
  credential: TestCredential,
  options: { keyId?: string; keyPair?: { privateKey: KeyObject; publicKey: KeyObject } } = {},
): Promise<SignerKey> {
  const { privateKey, publicKey } = options.keyPair ?? generateKeyPairSync('ed25519');
  const created = await create(
    platform,
    credential,
    { algorithm: 'ed25519', name: 'e2e ed25519', publicKeyJwk: publicKey.export({ format: 'jwk' }) },
    options,
  );
  return { keyId: created.signingKey.id, algorithm: 'ed25519', privateKey };
}

/** Revokes in the store, then tells the gateways through `bus` (default: the platform's own control plane). */
export async function revokeSigningKeyAsPortal(
  platform: TestPlatform,
  credential: TestCredential,
  keyId: string,
  bus: InvalidationBus = platform.controlPlane.invalidations,
): Promise<void> {
  const { changed } = await revokeSigningKey(
    platform.store,
    { partnerId: credential.partnerId },
    credential.appId,
    keyId,
    SYSTEM_CONTEXT,
  );
  if (!changed) throw new Error(`signing key ${keyId} was already revoked`);
  await bus.publish({ type: 'credential', credentialId: keyId });
}

/** `keyId` fixes the new key's id (the golden vectors' keys have published ids); otherwise the store makes one. */
function create(
  platform: TestPlatform,
  credential: TestCredential,
  input: SigningKeyInput,
  options: { keyId?: string },
) {
  const store = platform.store;
  const fixedId = options.keyId;
  const newId = fixedId
    ? (prefix: string) => (prefix === 'sig' ? fixedId : store.newId(prefix))
    : store.newId;
  return createSigningKey(
    { ...store, newId, secretBox: secretBoxOf(platform) },
    { partnerId: credential.partnerId },
    credential.appId,
    input,
    SYSTEM_CONTEXT,
  );
}

function secretBoxOf(platform: TestPlatform) {
  return createSecretBoxRing(platform.controlPlane.secrets.secretKeys);
}
