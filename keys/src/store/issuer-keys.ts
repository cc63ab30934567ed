// The OAuth token issuer's signing keys (installation-wide, not a tenant table). Exactly one is `current` (the
// partial unique index issuer_keys_one_current enforces it, even when two processes rotate at once); a rotated-out
// key is `retiring` — it signs nothing but stays published until `publish_until` — and then `retired`, when its
// private half is erased. This module stores material the domain made (keys/src/oauth/issuer-key-material.ts).
import { ProblemError } from '../../../internal/src/problem/problem';
import { isUniqueViolation } from '../../../internal/src/store/constraint-errors';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import type { IssuerKeyMaterial, PublicIssuerJwk } from '../oauth/issuer-key-material';
import type { IssuerAlgorithm } from '../oauth/oauth-settings';
import type { KeysStoreDeps } from './deps';
import type { IssuerKeysTable } from './schema';

export type IssuerKeyStatus = 'current' | 'retiring' | 'retired';

/** A key as the verifier and the JWKS need it: public only. */
export interface PublishedIssuerKey {
  kid: string;
  algorithm: IssuerAlgorithm;
  status: IssuerKeyStatus;
  publicJwk: PublicIssuerJwk;
  /** Null while current: then published indefinitely. */
  publishUntil: string | null;
}

/** The current key with its sealed private half, for the signer. */
export interface SigningIssuerKey {
  kid: string;
  algorithm: IssuerAlgorithm;
  privateKeyCiphertext: string;
}

/**
 * Stores `material` as the current key if there is none (start-up, or the first token ever). Returns false when
 * another key is current already — including one inserted by another process a moment before.
 */
export async function insertFirstIssuerKey(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  material: IssuerKeyMaterial,
): Promise<boolean> {
  try {
    await deps.db
      .insertInto('issuer_keys')
      .values(newRow(material, deps.clock.now().toISOString()))
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Makes `material` the current key and the previous current one `retiring` until `publishUntil` (or retires it at
 * once when `publishUntil` is now: an emergency rotation after a suspected compromise). One transaction; a
 * concurrent rotation loses on the unique index and is a 409, never two current keys.
 */
export async function rotateIssuerKeyRows(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
  material: IssuerKeyMaterial,
  publishUntil: string,
): Promise<{ previousKid: string | null; currentKid: string }> {
  const now = deps.clock.now().toISOString();
  const immediately = publishUntil <= now;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const previous = await trx
        .updateTable('issuer_keys')
        .set(
          immediately
            ? { status: 'retired', publish_until: now, retired_at: now, private_key_ciphertext: '' }
            : { status: 'retiring', publish_until: publishUntil },
        )
        .where('status', '=', 'current')
        .returning('kid')
        .executeTakeFirst();
      await trx.insertInto('issuer_keys').values(newRow(material, now)).execute();
      return { previousKid: previous?.kid ?? null, currentKid: material.kid };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new ProblemError('conflict', 'Another rotation of the issuer key happened at the same time.', {
      cause: error,
    });
  }
}

/** The key that signs new tokens, or undefined before the first one exists. */
export async function findCurrentIssuerKey(
  deps: Pick<KeysStoreDeps, 'db'>,
): Promise<SigningIssuerKey | undefined> {
  const row = await deps.db
    .selectFrom('issuer_keys')
    .select(['kid', 'algorithm', 'private_key_ciphertext'])
    .where('status', '=', 'current')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    kid: row.kid,
    algorithm: row.algorithm as IssuerAlgorithm,
    privateKeyCiphertext: row.private_key_ciphertext,
  };
}

/**
 * The keys a verifier must know at `now`: the current one and every retiring one still within its publication
 * period (whether or not the retirement job has run yet), current first.
 */
export async function listPublishedIssuerKeys(
  deps: Pick<KeysStoreDeps, 'db'>,
  now: string,
): Promise<PublishedIssuerKey[]> {
  const rows = await deps.db
    .selectFrom('issuer_keys')
    .select(['kid', 'algorithm', 'status', 'public_jwk', 'publish_until', 'created_at'])
    .where((eb) =>
      eb.or([
        eb('status', '=', 'current'),
        eb.and([eb('status', '=', 'retiring'), eb('publish_until', '>', now)]),
      ]),
    )
    // The current key first (`current` sorts before `retiring`), then the most recently retired.
    .orderBy('status', 'asc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({
    kid: row.kid,
    algorithm: row.algorithm as IssuerAlgorithm,
    status: row.status as IssuerKeyStatus,
    publicJwk: fromJsonText<PublicIssuerJwk>(row.public_jwk, {} as PublicIssuerJwk),
    publishUntil: row.publish_until,
  }));
}

/**
 * The retirement job: every retiring key whose publication has ended becomes `retired`, and its sealed private
 * half is erased (it will never sign again, so keeping it would only be a liability). Returns the kids retired.
 */
export async function retireExpiredIssuerKeys(deps: Pick<KeysStoreDeps, 'db' | 'clock'>): Promise<string[]> {
  const now = deps.clock.now().toISOString();
  const rows = await deps.db
    .updateTable('issuer_keys')
    .set({ status: 'retired', retired_at: now, private_key_ciphertext: '' })
    .where('status', '=', 'retiring')
    .where('publish_until', '<=', now)
    .returning('kid')
    .execute();
  return rows.map((row) => row.kid);
}

/** Keys whose private half is sealed under another encryption key than `currentKeyId`: for the re-seal job. */
export async function listIssuerKeysToReseal(
  deps: Pick<KeysStoreDeps, 'db'>,
  currentKeyId: string,
): Promise<{ kid: string; privateKeyCiphertext: string }[]> {
  const rows = await deps.db
    .selectFrom('issuer_keys')
    .select(['kid', 'private_key_ciphertext'])
    .where('status', '!=', 'retired')
    .where('encryption_key_id', '!=', currentKeyId)
    .execute();
  return rows.map((row) => ({ kid: row.kid, privateKeyCiphertext: row.private_key_ciphertext }));
}

/** Replaces a key's sealed private half, only if it is still the one that was read (a concurrent reseal wins once). */
export async function replaceIssuerKeyCiphertext(
  deps: Pick<KeysStoreDeps, 'db'>,
  kid: string,
  from: string,
  to: { privateKeyCiphertext: string; encryptionKeyId: string },
): Promise<boolean> {
  const result = await deps.db
    .updateTable('issuer_keys')
    .set({ private_key_ciphertext: to.privateKeyCiphertext, encryption_key_id: to.encryptionKeyId })
    .where('kid', '=', kid)
    .where('private_key_ciphertext', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function newRow(material: IssuerKeyMaterial, now: string): IssuerKeysTable {
  return {
    kid: material.kid,
    algorithm: material.algorithm,
    status: 'current',
    public_jwk: toJsonText(material.publicJwk),
    private_key_ciphertext: material.privateKeyCiphertext,
    encryption_key_id: material.encryptionKeyId,
    created_at: now,
    retired_at: null,
    publish_until: null,
  };
}
