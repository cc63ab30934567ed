// An app's keys for HTTP Message Signatures (RFC 9421); a key's id is the `keyid` of its signatures. An HMAC key's
// secret (`pts_…`) is generated here, shown once and stored ONLY sealed with the secret box, bound to the key's id
// (the verifier needs it back). An Ed25519 key is the partner's public key; Portico never holds the private half.
import { touchLastUsed } from './last-used';
import type { Environment } from '../../../internal/src/http/locals';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { violatedUniqueIndex } from '../../../internal/src/store/constraint-errors';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import type { RandomBytes } from '../domain/base62';
import { parseEd25519PublicKey, type Ed25519PublicJwk, type Ed25519PublicKey } from '../domain/ed25519-key';
import { generateSigningSecret } from '../domain/key-format';
import { sealSecret, type SecretBoxRing } from '../domain/secret-box';
import { lockActiveApp, requireApp } from './api-keys';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { SigningKeysTable } from './schema';
import { SIGNING_KEYS_APP_THUMBPRINT } from './unique-indexes';

export type SigningKeyAlgorithm = 'hmac-sha256' | 'ed25519';
export type SigningKeyStatus = 'active' | 'revoked';

export interface SigningKey {
  id: string;
  appId: string;
  name: string;
  environment: Environment;
  algorithm: SigningKeyAlgorithm;
  status: SigningKeyStatus;
  publicKeyJwk: Ed25519PublicJwk | null;
  thumbprint: string | null;
  secretLast4: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** The spec's SigningKeyCreate: Portico generates an HMAC secret, or the partner registers an Ed25519 public key. */
export type SigningKeyInput =
  | { algorithm: 'hmac-sha256'; name: string }
  | { algorithm: 'ed25519'; name: string; publicKeyJwk?: unknown; publicKeyPem?: string };

export interface SigningKeyDeps extends KeysStoreDeps {
  /** PORTICO_SECRET_KEYS: seals HMAC secrets at rest. */
  secretBox: SecretBoxRing;
  /** Tests pass a fixed source; crypto.randomBytes otherwise. */
  random?: RandomBytes;
}

/** The platform spec's limit: an app holds at most 10 active signing keys. */
export const MAX_ACTIVE_SIGNING_KEYS_PER_APP = 10;

/**
 * The associated data of a sealed HMAC secret (secret-box.ts): it names the key, so a ciphertext copied onto
 * another key's row does not open.
 */
export function signingKeyContext(signingKeyId: string): string {
  return `signing_key:${signingKeyId}`;
}

/**
 * Creates a signing key for an active app of the partner (404 missing, 409 not active, 409 at 10 active keys; the
 * app's row is locked so the limit holds under concurrency). Returns the HMAC secret once (null for Ed25519).
 * A JWK with the private member `d` (or a PEM private key) is a 400; a key that is not a valid Ed25519 public key,
 * or one already registered for the app (revoked ones included: a retired key does not come back), is a 422.
 */
export async function createSigningKey(
  deps: SigningKeyDeps,
  scope: PartnerScope,
  appId: string,
  input: SigningKeyInput,
  context: AuditContext,
): Promise<{ signingKey: SigningKey; secret: string | null }> {
  const publicKey = input.algorithm === 'ed25519' ? registeredPublicKey(input) : null;
  const now = deps.clock.now().toISOString();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const app = await lockActiveApp(trx, scope, appId);
      const { n } = await trx
        .selectFrom('signing_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('partner_id', '=', scope.partnerId)
        .where('app_id', '=', appId)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_ACTIVE_SIGNING_KEYS_PER_APP) {
        throw new ProblemError(
          'conflict',
          `An app holds at most ${MAX_ACTIVE_SIGNING_KEYS_PER_APP} active signing keys.`,
        );
      }
      const id = deps.newId('sig');
      const environment = app.environment as Environment;
      const generated = publicKey === null ? generateSigningSecret(environment, deps.random) : null;
      const row: SigningKeysTable = {
        id,
        partner_id: scope.partnerId,
        app_id: appId,
        environment,
        name: input.name,
        algorithm: input.algorithm,
        status: 'active',
        secret_ciphertext: generated
          ? sealSecret(deps.secretBox, generated.secret, signingKeyContext(id))
          : null,
        encryption_key_id: generated ? deps.secretBox.current.id : null,
        secret_last4: generated ? generated.last4 : null,
        public_key_jwk: publicKey ? toJsonText(publicKey.jwk) : null,
        thumbprint: publicKey ? publicKey.thumbprint : null,
        last_used_at: null,
        revoked_at: null,
        created_by: context.actor.memberId,
        created_at: now,
      };
      await trx.insertInto('signing_keys').values(row).execute();
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'signing_key.created',
        target: { type: 'signing_key', id },
        app: { id: appId, environment },
        details: {
          name: row.name,
          algorithm: row.algorithm,
          ...(row.thumbprint !== null ? { thumbprint: row.thumbprint } : {}),
          ...(row.secret_last4 !== null ? { secretLast4: row.secret_last4 } : {}),
        },
      });
      return { signingKey: toSigningKey(row), secret: generated ? generated.secret : null };
    });
  } catch (error) {
    if (violatedUniqueIndex(error, SIGNING_KEYS_APP_THUMBPRINT)) {
      throw new ProblemError('unprocessable', 'This public key is already registered for the app.', {
        errors: [{ pointer: keyPointer(input), detail: 'already registered for this app' }],
        cause: error,
      });
    }
    throw error;
  }
}

export async function findSigningKey(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<SigningKey | undefined> {
  const row = await deps.db
    .selectFrom('signing_keys')
    .innerJoin('apps', 'apps.id', 'signing_keys.app_id')
    .selectAll('signing_keys')
    .where('signing_keys.partner_id', '=', scope.partnerId)
    .where('signing_keys.app_id', '=', appId)
    .where('signing_keys.id', '=', id)
    .where('apps.deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toSigningKey(row) : undefined;
}

export async function getSigningKey(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  appId: string,
  id: string,
): Promise<SigningKey> {
  const key = await findSigningKey(deps, scope, appId, id);
  if (!key) throw notFound('signing key', id);
  return key;
}

/** The app's signing keys, newest first, optionally in one status. A missing app is a 404. */
export async function listSigningKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  scope: PartnerScope,
  appId: string,
  filter: { status?: SigningKeyStatus },
  page: PageRequest,
): Promise<Page<SigningKey>> {
  await requireApp(deps.db, scope, appId);
  let query = deps.db
    .selectFrom('signing_keys')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('app_id', '=', appId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return fetchPage(query, page, toSigningKey);
}

/**
 * Revokes an active key with one conditional UPDATE. `changed` is false when it was already revoked (the caller
 * answers 409); a missing key (or app, or another partner's) is a 404. The caller then invalidates the verifier's
 * cache entry for the key id.
 */
export async function revokeSigningKey(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  appId: string,
  id: string,
  context: AuditContext,
): Promise<{ changed: boolean; signingKey: SigningKey }> {
  const now = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const app = await requireApp(trx, scope, appId);
    const revoked = await trx
      .updateTable('signing_keys')
      .set({ status: 'revoked', revoked_at: now })
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirst();
    if (revoked) {
      await appendAuditEvent(trx, deps, context, {
        partnerId: scope.partnerId,
        action: 'signing_key.revoked',
        target: { type: 'signing_key', id },
        app: { id: appId, environment: app.environment },
        details: { name: revoked.name, algorithm: revoked.algorithm },
      });
      return { changed: true, signingKey: toSigningKey(revoked) };
    }
    const current = await trx
      .selectFrom('signing_keys')
      .selectAll()
      .where('partner_id', '=', scope.partnerId)
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw notFound('signing key', id);
    return { changed: false, signingKey: toSigningKey(current) };
  });
}

/** Records that the gateway accepted signatures made with these keys (batched, as touchApiKeys). */
export async function touchSigningKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  keyIds: readonly string[],
  usedAt: string,
): Promise<number> {
  return touchLastUsed(deps, 'signing_keys', keyIds, usedAt);
}

function registeredPublicKey(input: Extract<SigningKeyInput, { algorithm: 'ed25519' }>): Ed25519PublicKey {
  const given = input.publicKeyJwk !== undefined ? 1 : 0;
  if (given + (input.publicKeyPem !== undefined ? 1 : 0) !== 1) {
    throw new ProblemError(
      'validation_failed',
      'Give the public key as publicKeyJwk or publicKeyPem, exactly one.',
      {
        errors: [{ pointer: '/publicKeyJwk', detail: 'exactly one of publicKeyJwk and publicKeyPem' }],
      },
    );
  }
  const parsed = parseEd25519PublicKey({ jwk: input.publicKeyJwk, pem: input.publicKeyPem });
  if (parsed.ok) return parsed.key;
  const pointer = keyPointer(input);
  // A private key is refused as a malformed request (400, platform spec), and never echoed or stored.
  if (parsed.reason === 'private_key') {
    throw new ProblemError('validation_failed', parsed.detail, {
      errors: [
        {
          pointer: input.publicKeyJwk !== undefined ? `${pointer}/d` : pointer,
          detail: 'private key material is not accepted',
        },
      ],
    });
  }
  throw new ProblemError('unprocessable', parsed.detail, { errors: [{ pointer, detail: parsed.reason }] });
}

function keyPointer(input: SigningKeyInput): string {
  return input.algorithm === 'ed25519' && input.publicKeyJwk === undefined
    ? '/publicKeyPem'
    : '/publicKeyJwk';
}

/** The management view; the ciphertext stays in the store. */
export function toSigningKey(row: SigningKeysTable): SigningKey {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    environment: row.environment as Environment,
    algorithm: row.algorithm as SigningKeyAlgorithm,
    status: row.status as SigningKeyStatus,
    publicKeyJwk:
      row.public_key_jwk === null ? null : fromJsonText<Ed25519PublicJwk | null>(row.public_key_jwk, null),
    thumbprint: row.thumbprint,
    secretLast4: row.secret_last4,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}
