// The gateway's read of a request-signing key by the `keyid` of a signature: ONE query by primary key, joined by
// primary keys to the app, partner and plan, returning the key material (the sealed HMAC secret or the Ed25519
// public key) and everything the domain's decideSigningKeyOutcome needs. This module decides nothing.
import { ID_PATTERN } from '../../../internal/src/ids';
import type { Environment } from '../../../internal/src/http/locals';
import { fromJsonText } from '../../../internal/src/store/query-helpers';
import type { Ed25519PublicJwk } from '../domain/ed25519-key';
import { openSecret, type OpenResult, type SecretBoxRing } from '../domain/secret-box';
import type { SigningKeyRecord } from '../domain/signing-key-verdict';
import type { KeysStoreDeps } from './deps';
import { signingKeyContext } from './signing-keys';

export interface SigningKeyVerificationRow extends SigningKeyRecord {
  /** HMAC: the secret sealed at rest; open it with openHmacSecret. Null for Ed25519. */
  secretCiphertext: string | null;
  /** Ed25519: the registered public key. Null for HMAC. */
  publicKeyJwk: Ed25519PublicJwk | null;
  app: { status: string; deleted: boolean; scopes: string[] };
  partner: { status: string };
  plan: { id: string; scopes: string[] };
}

/**
 * The signing key with this id and its app, partner and plan; undefined when there is none. A `keyid` that is not
 * a signing-key id at all (it comes from the message) is answered without a query.
 */
export async function findSigningKeyForVerification(
  deps: Pick<KeysStoreDeps, 'db'>,
  keyId: string,
): Promise<SigningKeyVerificationRow | undefined> {
  if (!ID_PATTERN.test(keyId) || !keyId.startsWith('sig_')) return undefined;
  const row = await signingKeyVerificationQuery(deps, keyId).executeTakeFirst();
  if (!row) return undefined;
  return {
    keyId: row.key_id,
    partnerId: row.partner_id,
    appId: row.app_id,
    environment: row.environment as Environment,
    algorithm: row.algorithm,
    status: row.status,
    secretCiphertext: row.secret_ciphertext,
    publicKeyJwk:
      row.public_key_jwk === null ? null : fromJsonText<Ed25519PublicJwk | null>(row.public_key_jwk, null),
    app: {
      status: row.app_status,
      deleted: row.app_deleted_at !== null,
      scopes: fromJsonText<string[]>(row.app_scopes, []),
    },
    partner: { status: row.partner_status },
    plan: { id: row.plan_id, scopes: fromJsonText<string[]>(row.plan_scopes, []) },
  };
}

/** The query itself, exported so that a test (and a benchmark) can print its plan. */
export function signingKeyVerificationQuery(deps: Pick<KeysStoreDeps, 'db'>, keyId: string) {
  return deps.db
    .selectFrom('signing_keys')
    .innerJoin('apps', 'apps.id', 'signing_keys.app_id')
    .innerJoin('partners', 'partners.id', 'signing_keys.partner_id')
    .innerJoin('plans', 'plans.id', 'partners.plan_id')
    .select([
      'signing_keys.id as key_id',
      'signing_keys.partner_id',
      'signing_keys.app_id',
      'signing_keys.environment',
      'signing_keys.algorithm',
      'signing_keys.status',
      'signing_keys.secret_ciphertext',
      'signing_keys.public_key_jwk',
      'apps.status as app_status',
      'apps.deleted_at as app_deleted_at',
      'apps.scopes as app_scopes',
      'partners.status as partner_status',
      'plans.id as plan_id',
      'plans.scopes as plan_scopes',
    ])
    .where('signing_keys.id', '=', keyId);
}

/**
 * The HMAC secret of a key found for verification, decrypted with whichever configured key sealed it; bound to
 * the key's id, so a ciphertext moved onto another row does not open. A failure is a value (see secret-box.ts).
 */
export function openHmacSecret(
  ring: SecretBoxRing,
  key: Pick<SigningKeyVerificationRow, 'keyId' | 'secretCiphertext'>,
): OpenResult {
  if (key.secretCiphertext === null) return { ok: false, reason: 'malformed' };
  return openSecret(ring, key.secretCiphertext, signingKeyContext(key.keyId));
}
