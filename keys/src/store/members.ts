// Reads a partner's members. An email address belongs to at most one member of the installation and is compared
// case-insensitively (platform spec, Email), so lookups go through its lower-cased form.
import { notFound } from '../../../internal/src/problem/problem';
import type { KeysStoreDeps, PartnerScope } from './deps';
import type { MembersTable } from './schema';

export type Role = 'owner' | 'admin' | 'developer' | 'viewer';
export type MemberStatus = 'invited' | 'active';

export interface Member {
  id: string;
  partnerId: string;
  email: string;
  name: string | null;
  role: Role;
  status: MemberStatus;
  invitationExpiresAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A member with what sign-in needs; never leaves the server. */
export interface MemberWithPassword extends Member {
  passwordHash: string | null;
}

type Deps = Pick<KeysStoreDeps, 'db'>;

/** The form an address is stored and compared in. */
export function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

/** The member with this address, in any partner (sign-in does not know the partner yet). */
export async function findMemberByEmail(deps: Deps, email: string): Promise<MemberWithPassword | undefined> {
  const row = await deps.db
    .selectFrom('members')
    .selectAll()
    .where('email_normalized', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row ? { ...toMember(row), passwordHash: row.password_hash } : undefined;
}

export async function findMember(deps: Deps, scope: PartnerScope, id: string): Promise<Member | undefined> {
  const row = await deps.db
    .selectFrom('members')
    .selectAll()
    .where('partner_id', '=', scope.partnerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toMember(row) : undefined;
}

export async function getMember(deps: Deps, scope: PartnerScope, id: string): Promise<Member> {
  const member = await findMember(deps, scope, id);
  if (!member) throw notFound('member', id);
  return member;
}

export function toMember(row: MembersTable): Member {
  return {
    id: row.id,
    partnerId: row.partner_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    status: row.status as MemberStatus,
    invitationExpiresAt: row.invitation_expires_at,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
