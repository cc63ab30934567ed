// Personal access tokens (`ptp_…`): bearer tokens with which a member's scripts call the management API as that
// member, limited to `platform:read` / `platform:write`. Stored only as keyed digests; every change is audited in
// its own transaction; verification is a format check without I/O, then one indexed lookup, and an outcome as data.
import { touchLastUsed } from './last-used';
import type { Page, PageRequest } from '../../../internal/src/pagination';
import { notFound, ProblemError } from '../../../internal/src/problem/problem';
import { fetchPage } from '../../../internal/src/store/paging';
import { fromJsonText, toJsonText } from '../../../internal/src/store/query-helpers';
import { candidateDigests, needsRedigest, type KeyDigest } from '../domain/key-digest';
import { parseSecret } from '../domain/key-format';
import { PLATFORM_SCOPES, validateScopes, type PlatformScope } from '../domain/scopes';
import type { SecretRing } from '../domain/secret-ring';
import type { StoredKeySecret } from './api-keys';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps } from './deps';
import type { Role } from './members';
import type { PersonalTokensTable } from './schema';

export interface PersonalToken {
  id: string;
  memberId: string;
  name: string;
  scopes: PlatformScope[];
  prefix: string;
  last4: string;
  expiresAt: string;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface PersonalTokenInput {
  name: string;
  /** The fresh token's digest and display parts (generatePersonalToken + storedDigest). */
  secret: StoredKeySecret;
  scopes: string[];
  /** Defaults to 90 days from now; at most 366 days away and in the future (422). */
  expiresAt?: string;
}

/** The platform spec's limits (createPersonalToken). */
export const MAX_ACTIVE_TOKENS_PER_MEMBER = 20;
export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
export const MAX_TOKEN_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;

/** The member a token is made for and acts as. */
export interface TokenOwner {
  id: string;
  partnerId: string;
}

/**
 * Creates a token for an active member. The member's row is locked first (a no-op UPDATE), so concurrent
 * creations cannot pass the 20-token limit together; a removed member is a 404. Unknown scopes or an expiry in the
 * past or more than 366 days away: 422. Tokens that expired or were revoked do not count.
 */
export async function createPersonalToken(
  deps: KeysStoreDeps,
  owner: TokenOwner,
  input: PersonalTokenInput,
  context: AuditContext,
): Promise<PersonalToken> {
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const scopes = validateScopes(input.scopes, PLATFORM_SCOPES);
  if (!scopes.ok || scopes.scopes.length === 0) {
    throw new ProblemError('unprocessable', 'A personal token holds platform:read and/or platform:write.', {
      errors: [
        {
          pointer: '/scopes',
          detail: scopes.ok ? 'at least one scope' : `unknown: ${scopes.unknown.join(', ')}`,
        },
      ],
    });
  }
  const expiresAt = input.expiresAt ?? new Date(nowDate.getTime() + DEFAULT_TOKEN_LIFETIME_MS).toISOString();
  const expiresMs = Date.parse(expiresAt);
  if (!(expiresMs > nowDate.getTime()) || expiresMs > nowDate.getTime() + MAX_TOKEN_LIFETIME_MS) {
    throw new ProblemError(
      'unprocessable',
      'A personal token expires in the future, at most 366 days from now.',
      {
        errors: [{ pointer: '/expiresAt', detail: 'must be in the future and at most 366 days away' }],
      },
    );
  }
  const row: PersonalTokensTable = {
    id: deps.newId('pat'),
    partner_id: owner.partnerId,
    member_id: owner.id,
    name: input.name,
    digest: input.secret.digest,
    pepper_id: input.secret.pepperId,
    prefix: input.secret.prefix,
    last4: input.secret.last4,
    scopes: toJsonText(scopes.scopes),
    expires_at: new Date(expiresMs).toISOString(),
    revoked_at: null,
    last_used_at: null,
    created_at: now,
  };
  await deps.db.transaction().execute(async (trx) => {
    const member = await trx
      .updateTable('members')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('partner_id', '=', owner.partnerId)
      .where('id', '=', owner.id)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst();
    if (!member) throw notFound('member', owner.id);
    const { n } = await trx
      .selectFrom('personal_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('partner_id', '=', owner.partnerId)
      .where('member_id', '=', owner.id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_ACTIVE_TOKENS_PER_MEMBER) {
      throw new ProblemError(
        'conflict',
        `A member holds at most ${MAX_ACTIVE_TOKENS_PER_MEMBER} personal tokens.`,
      );
    }
    await trx.insertInto('personal_tokens').values(row).execute();
    await appendAuditEvent(trx, deps, context, {
      partnerId: owner.partnerId,
      action: 'personal_token.created',
      target: { type: 'personal_token', id: row.id },
      details: {
        name: row.name,
        prefix: row.prefix,
        last4: row.last4,
        scopes: scopes.scopes,
        expiresAt: row.expires_at,
      },
    });
  });
  return toPersonalToken(row);
}

/** One of the member's own tokens; a revoked token is forgotten (platform spec), so it is not found either. */
export async function findPersonalToken(
  deps: Pick<KeysStoreDeps, 'db'>,
  owner: TokenOwner,
  id: string,
): Promise<PersonalToken | undefined> {
  const row = await deps.db
    .selectFrom('personal_tokens')
    .selectAll()
    .where('partner_id', '=', owner.partnerId)
    .where('member_id', '=', owner.id)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? toPersonalToken(row) : undefined;
}

export async function getPersonalToken(
  deps: Pick<KeysStoreDeps, 'db'>,
  owner: TokenOwner,
  id: string,
): Promise<PersonalToken> {
  const token = await findPersonalToken(deps, owner, id);
  if (!token) throw notFound('personal token', id);
  return token;
}

/** The member's own tokens that are not revoked (expired ones included, so their owner sees them lapse), newest first. */
export async function listPersonalTokens(
  deps: Pick<KeysStoreDeps, 'db'>,
  owner: TokenOwner,
  page: PageRequest,
): Promise<Page<PersonalToken>> {
  const query = deps.db
    .selectFrom('personal_tokens')
    .selectAll()
    .where('partner_id', '=', owner.partnerId)
    .where('member_id', '=', owner.id)
    .where('revoked_at', 'is', null);
  return fetchPage(query, page, toPersonalToken);
}

/**
 * Revokes one of the member's own tokens with one conditional UPDATE; it answers `revoked` (401) from then on.
 * Another member's token, an unknown one, or one already revoked is a 404 (a revoked token is forgotten).
 */
export async function revokePersonalToken(
  deps: KeysStoreDeps,
  owner: TokenOwner,
  id: string,
  context: AuditContext,
): Promise<PersonalToken> {
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('personal_tokens')
      .set({ revoked_at: deps.clock.now().toISOString() })
      .where('partner_id', '=', owner.partnerId)
      .where('member_id', '=', owner.id)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!revoked) throw notFound('personal token', id);
    await appendAuditEvent(trx, deps, context, {
      partnerId: owner.partnerId,
      action: 'personal_token.revoked',
      target: { type: 'personal_token', id },
      details: { prefix: revoked.prefix, last4: revoked.last4 },
    });
    return toPersonalToken(revoked);
  });
}

export type PersonalTokenFailure = 'malformed' | 'not_found' | 'revoked' | 'expired';

/** Who a valid token acts as: the member's current role (a role change applies at once), within the token's scopes. */
export interface VerifiedPersonalToken {
  tokenId: string;
  memberId: string;
  memberEmail: string;
  role: Role;
  partnerId: string;
  partnerStatus: string;
  scopes: PlatformScope[];
  expiresAt: string;
  /** Found under an older pepper: re-digest it off the request path (redigestPersonalToken). */
  needsRedigest: boolean;
}

export type PersonalTokenVerification =
  { outcome: 'valid'; token: VerifiedPersonalToken } | { outcome: PersonalTokenFailure };

/**
 * Verifies a presented `ptp_…` token: the format and checksum first, without I/O; then ONE query on the unique
 * digest index (current pepper first) joined by primary key to the member and partner. Every failure is a 401 to
 * the caller (the reason is for the log). A removed member's tokens are deleted with it, so they are not_found.
 * Whether the partner is suspended is the caller's to apply (reads stay allowed), so it is reported, not decided.
 */
export async function verifyPersonalToken(
  deps: Pick<KeysStoreDeps, 'db' | 'clock'> & { peppers: SecretRing },
  presented: unknown,
): Promise<PersonalTokenVerification> {
  const parsed = parseSecret('personal_token', presented);
  if (!parsed.ok) return { outcome: 'malformed' };
  const digests = candidateDigests(deps.peppers, presented as string).map((d) => d.digest);
  const row = await deps.db
    .selectFrom('personal_tokens')
    .innerJoin('members', 'members.id', 'personal_tokens.member_id')
    .innerJoin('partners', 'partners.id', 'personal_tokens.partner_id')
    .select([
      'personal_tokens.id',
      'personal_tokens.pepper_id',
      'personal_tokens.scopes',
      'personal_tokens.expires_at',
      'personal_tokens.revoked_at',
      'personal_tokens.partner_id',
      'members.id as member_id',
      'members.email as member_email',
      'members.role as member_role',
      'members.status as member_status',
      'partners.status as partner_status',
    ])
    .where('personal_tokens.digest', 'in', digests)
    .executeTakeFirst();
  if (!row || row.member_status !== 'active') return { outcome: 'not_found' };
  if (row.revoked_at !== null) return { outcome: 'revoked' };
  if (Date.parse(row.expires_at) <= deps.clock.now().getTime()) return { outcome: 'expired' };
  return {
    outcome: 'valid',
    token: {
      tokenId: row.id,
      memberId: row.member_id,
      memberEmail: row.member_email,
      role: row.member_role as Role,
      partnerId: row.partner_id,
      partnerStatus: row.partner_status,
      scopes: fromJsonText<PlatformScope[]>(row.scopes, []),
      expiresAt: row.expires_at,
      needsRedigest: needsRedigest(deps.peppers, row.pepper_id),
    },
  };
}

/** Moves a token found under an older pepper to the current one; a no-op if it changed meanwhile. */
export async function redigestPersonalToken(
  deps: Pick<KeysStoreDeps, 'db'>,
  tokenId: string,
  to: KeyDigest,
): Promise<boolean> {
  const result = await deps.db
    .updateTable('personal_tokens')
    .set({ digest: to.digest, pepper_id: to.pepperId })
    .where('id', '=', tokenId)
    .where('pepper_id', '<>', to.pepperId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records that these tokens were used, off the request path (keys/src/verify/last-used-recorder.ts collects ids
 * and calls this per batch): one UPDATE per 1000 ids; a time never moves backwards.
 */
export async function touchPersonalTokens(
  deps: Pick<KeysStoreDeps, 'db'>,
  tokenIds: readonly string[],
  usedAt: string,
): Promise<number> {
  return touchLastUsed(deps, 'personal_tokens', tokenIds, usedAt);
}

export function toPersonalToken(row: PersonalTokensTable): PersonalToken {
  return {
    id: row.id,
    memberId: row.member_id,
    name: row.name,
    scopes: fromJsonText<PlatformScope[]>(row.scopes, []),
    prefix: row.prefix,
    last4: row.last4,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
  };
}
