// What still depends on each pepper and encryption key id, so an operator knows when an old one may leave
// PORTICO_KEY_PEPPERS or PORTICO_SECRET_KEYS (keys/README.md, "Configuration and rotation"; `npm run keys -- status`).
// One grouped query per table. Pepper counts include only secrets that can still be presented: a revoked or expired
// one fails anyway once its pepper has gone. Ciphertexts count while they exist, as the re-seal jobs rewrite them.
import type { KeysStoreDeps } from './deps';

/** Rows whose digest was made with one pepper and can still be presented. */
export interface PepperUse {
  apiKeys: number;
  personalTokens: number;
  /** OAuth clients whose current secret was digested with it. */
  oauthClientSecrets: number;
  /** OAuth clients whose previous secret, still within its overlap, was digested with it. */
  oauthClientPreviousSecrets: number;
}

/** Rows sealed under one encryption key. */
export interface EncryptionKeyUse {
  /** HMAC signing secrets, revoked keys included (resealSigningKeys rewrites them too). */
  signingKeys: number;
  /** The token issuer's private keys that are not retired (a retired key's private half is erased). */
  issuerKeys: number;
}

/** Digests stored without a pepper id: made with whichever pepper was current, looked up under every one. */
export interface UnattributedDigests {
  count: number;
  /** When the last of them ends at the latest; null when there are none. */
  endsBy: string | null;
}

export interface SecretRotationStatus {
  /** The time the counts refer to. */
  at: string;
  /** By pepper id; an id no row uses is absent. */
  peppers: Record<string, PepperUse>;
  /** By encryption key id; an id no row uses is absent. */
  encryptionKeys: Record<string, EncryptionKeyUse>;
  /**
   * The members table and the sessions table record no pepper id. A pepper may leave once it has not been current
   * since before `endsBy` of both, or sooner at the cost of those invitations and sign-ins failing.
   */
  unattributed: { pendingInvitations: UnattributedDigests; liveSessions: UnattributedDigests };
}

const NO_PEPPER_USE: PepperUse = Object.freeze({
  apiKeys: 0,
  personalTokens: 0,
  oauthClientSecrets: 0,
  oauthClientPreviousSecrets: 0,
});

/** Counts, per pepper id and per encryption key id, the rows that still depend on it. Reads only. */
export async function secretRotationStatus(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'>,
): Promise<SecretRotationStatus> {
  const { db } = deps;
  const at = deps.clock.now().toISOString();
  const [apiKeys, personalTokens, oauthClients, invitations, sessions, signingKeys, issuerKeys] =
    await Promise.all([
      db
        .selectFrom('api_keys')
        .select((eb) => ['pepper_id', eb.fn.countAll<number>().as('n')])
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .groupBy('pepper_id')
        .execute(),
      db
        .selectFrom('personal_tokens')
        .select((eb) => ['pepper_id', eb.fn.countAll<number>().as('n')])
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .groupBy('pepper_id')
        .execute(),
      // A client always has a current secret; the previous one counts only while its overlap lasts.
      db
        .selectFrom('oauth_clients')
        .select((eb) => [
          'secret_pepper_id',
          'previous_secret_pepper_id',
          eb.fn.countAll<number>().as('n'),
          eb.fn
            .sum<number>(
              eb.case().when('previous_secret_expires_at', '>', at).then(eb.lit(1)).else(eb.lit(0)).end(),
            )
            .as('previous_live'),
        ])
        .groupBy(['secret_pepper_id', 'previous_secret_pepper_id'])
        .execute(),
      db
        .selectFrom('members')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('invitation_expires_at').as('ends_by')])
        .where('status', '=', 'invited')
        .where('invitation_digest', 'is not', null)
        .where('invitation_expires_at', '>', at)
        .executeTakeFirstOrThrow(),
      // A used session's idle expiry moves, but never past its absolute one.
      db
        .selectFrom('sessions')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('absolute_expires_at').as('ends_by')])
        .where('expires_at', '>', at)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('signing_keys')
        .select((eb) => ['encryption_key_id', eb.fn.countAll<number>().as('n')])
        .where('secret_ciphertext', 'is not', null)
        .groupBy('encryption_key_id')
        .execute(),
      db
        .selectFrom('issuer_keys')
        .select((eb) => ['encryption_key_id', eb.fn.countAll<number>().as('n')])
        .where('status', '!=', 'retired')
        .groupBy('encryption_key_id')
        .execute(),
    ]);

  const peppers: Record<string, PepperUse> = {};
  const addPepper = (id: string | null, field: keyof PepperUse, n: unknown) => {
    if (id === null || Number(n) === 0) return;
    const use = (peppers[id] ??= { ...NO_PEPPER_USE });
    use[field] += Number(n);
  };
  for (const row of apiKeys) addPepper(row.pepper_id, 'apiKeys', row.n);
  for (const row of personalTokens) addPepper(row.pepper_id, 'personalTokens', row.n);
  for (const row of oauthClients) {
    addPepper(row.secret_pepper_id, 'oauthClientSecrets', row.n);
    addPepper(row.previous_secret_pepper_id, 'oauthClientPreviousSecrets', row.previous_live);
  }

  const encryptionKeys: Record<string, EncryptionKeyUse> = {};
  const addKey = (id: string | null, field: keyof EncryptionKeyUse, n: unknown) => {
    // A sealed secret without a key id would be a bug elsewhere; its ciphertext still names its key.
    const use = (encryptionKeys[id ?? '(none)'] ??= { signingKeys: 0, issuerKeys: 0 });
    use[field] += Number(n);
  };
  for (const row of signingKeys) addKey(row.encryption_key_id, 'signingKeys', row.n);
  for (const row of issuerKeys) addKey(row.encryption_key_id, 'issuerKeys', row.n);

  return {
    at,
    peppers,
    encryptionKeys,
    unattributed: {
      pendingInvitations: unattributed(invitations),
      liveSessions: unattributed(sessions),
    },
  };
}

function unattributed(row: { n: unknown; ends_by: string | null }): UnattributedDigests {
  const count = Number(row.n);
  return { count, endsBy: count > 0 ? row.ends_by : null };
}
