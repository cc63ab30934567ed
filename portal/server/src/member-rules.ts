// Who may manage whom (platform spec, Roles): owners manage everyone; admins manage everyone except owners and may
// not hand out the owner role, or an admin could promote itself, or another admin, over the owners. The spec's
// x-portico-roles already let only owners and admins reach the member operations; this is the finer rule.
import { ProblemError } from '../../../internal/src/problem/problem';
import type { Role } from '../../../keys/src/store/members';
import type { MemberCaller } from './auth/caller';

/** 403 unless `caller` may act on a member holding `target` (if any) and give it `grant` (if any). */
export function assertMayManageMember(caller: MemberCaller, change: { target?: Role; grant?: Role }): void {
  if (caller.role === 'owner') return;
  if (change.target === 'owner') {
    throw new ProblemError(
      'forbidden',
      `The ${caller.role} role cannot change or remove an owner; an owner can.`,
    );
  }
  if (change.grant === 'owner') {
    throw new ProblemError('forbidden', `The ${caller.role} role cannot grant the owner role; an owner can.`);
  }
}
