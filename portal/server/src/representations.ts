// The store's records as the platform spec shows them: fields the spec does not have (a member's partnerId, say)
// never reach the wire, where response validation would refuse them and a caller could learn internals.
import type { Member } from '../../../keys/src/store/members';

export function memberView(member: Member) {
  const { partnerId: _partner, ...view } = member;
  return view;
}
