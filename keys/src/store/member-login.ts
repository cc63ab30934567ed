// Sign-in with email and password. Every failure looks the same and takes the same time (an unknown address still
// spends a scrypt derivation), so neither the answer nor its timing tells which addresses have accounts. Lock-out
// and back-off against guessing are the portal's (per address and per client, 429), not this module's.
import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
  verifyPasswordOfNoOne,
  type ScryptParams,
} from '../domain/password';
import type { KeysStoreDeps } from './deps';
import { findMemberByEmail, type Member } from './members';
import { findPartner, type Partner } from './partners';

export type LoginOutcome =
  | { outcome: 'authenticated'; member: Member; partner: Partner; rehashed: boolean }
  /** Unknown address, wrong password, or an invitation not accepted yet: all answered with the same 401. */
  | { outcome: 'invalid_credentials' };

const INVALID: LoginOutcome = Object.freeze({ outcome: 'invalid_credentials' });

/**
 * Checks an email (case-insensitively) and a password. On success, a hash made with other parameters than
 * `params` is upgraded (a conditional UPDATE on the old hash, so a concurrent password change is not undone).
 * Does not start a session: the caller does (createSession), after its own checks (origin, rate limits).
 * A suspended partner's members may still sign in: reading stays possible (platform spec, Roles).
 */
export async function authenticateMember(
  deps: Pick<KeysStoreDeps, 'db'>,
  credentials: { email: string; password: string },
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<LoginOutcome> {
  const member = await findMemberByEmail(deps, credentials.email);
  if (!member || member.status !== 'active' || member.passwordHash === null) {
    await verifyPasswordOfNoOne(credentials.password, params);
    return INVALID;
  }
  if (!(await verifyPassword(member.passwordHash, credentials.password))) return INVALID;
  const partner = await findPartner(deps, member.partnerId);
  if (!partner) return INVALID;
  let rehashed = false;
  if (needsRehash(member.passwordHash, params)) {
    const upgraded = await hashPassword(credentials.password, params);
    const result = await deps.db
      .updateTable('members')
      .set({ password_hash: upgraded })
      .where('id', '=', member.id)
      .where('password_hash', '=', member.passwordHash)
      .executeTakeFirst();
    rehashed = Number(result.numUpdatedRows) === 1;
  }
  const { passwordHash: _hidden, ...withoutHash } = member;
  return { outcome: 'authenticated', member: withoutHash, partner, rehashed };
}
