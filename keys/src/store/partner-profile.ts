// The partner's profile: the fields its owners and admins keep up to date themselves (platform spec, updatePartner).
// The status and the plan are the operator's and are changed in partners.ts, never here.
import { notFound } from '../../../internal/src/problem/problem';
import { appendAuditEvent, type AuditContext } from './audit-events';
import type { KeysStoreDeps, PartnerScope } from './deps';
import { toPartner, type Partner } from './partners';
import type { PartnersTable } from './schema';

/** The fields to change; an absent field keeps its value and `null` clears an optional one. */
export interface PartnerProfileChanges {
  name?: string;
  website?: string | null;
  contactEmail?: string;
  country?: string | null;
}

const COLUMNS = {
  name: 'name',
  website: 'website',
  contactEmail: 'contact_email',
  country: 'country',
} as const satisfies Record<keyof PartnerProfileChanges, keyof PartnersTable>;

type ProfileField = keyof typeof COLUMNS;
type ProfileColumns = Partial<Pick<PartnersTable, (typeof COLUMNS)[ProfileField]>>;

/**
 * Changes the given profile fields in one transaction with its `partner.updated` event, whose details name the
 * changed fields and their new values. Values equal to the current ones are no change: nothing is written and
 * nothing recorded, so a form saved twice leaves one event. A missing partner is a 404.
 */
export async function updatePartnerProfile(
  deps: KeysStoreDeps,
  scope: PartnerScope,
  changes: PartnerProfileChanges,
  context: AuditContext,
): Promise<Partner> {
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('partners')
      .selectAll()
      .where('id', '=', scope.partnerId)
      .executeTakeFirst();
    if (!current) throw notFound('partner', scope.partnerId);

    const set: ProfileColumns = {};
    const changed: ProfileField[] = [];
    for (const field of Object.keys(COLUMNS) as ProfileField[]) {
      const value = changes[field];
      const column = COLUMNS[field];
      if (value === undefined || value === current[column]) continue;
      // Only name and contactEmail are NOT NULL, and the caller's schema never lets null reach them.
      (set as Record<string, string | null>)[column] = value;
      changed.push(field);
    }
    if (changed.length === 0) return toPartner(current);

    const updated = await trx
      .updateTable('partners')
      .set({ ...set, updated_at: deps.clock.now().toISOString() })
      .where('id', '=', scope.partnerId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, deps, context, {
      partnerId: scope.partnerId,
      action: 'partner.updated',
      target: { type: 'partner', id: scope.partnerId },
      details: {
        fields: changed,
        ...Object.fromEntries(changed.map((field) => [field, changes[field] ?? null])),
      },
    });
    return toPartner(updated);
  });
}
