// PATCH /partner: owners and admins change the profile (name, website, contact email, country); the status and the
// plan are not part of PartnerUpdate, so the spec validator has already refused them with 400.
import type { OperationHandler } from '../../../../internal/src/http/service-app';
import { updatePartnerProfile, type PartnerProfileChanges } from '../../../../keys/src/store/partner-profile';
import { auditContextOf, partnerScopeOf } from '../auth/caller';
import type { PortalDeps } from '../deps';

export function updatePartner(deps: PortalDeps): OperationHandler {
  return async (req, res) => {
    const body = req.body as PartnerProfileChanges;
    // Copied field by field so that nothing but the profile can ever reach the store.
    const changes: PartnerProfileChanges = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.website !== undefined ? { website: body.website } : {}),
      ...(body.contactEmail !== undefined ? { contactEmail: body.contactEmail } : {}),
      ...(body.country !== undefined ? { country: body.country } : {}),
    };
    res.json(await updatePartnerProfile(deps, partnerScopeOf(res), changes, auditContextOf(req, res)));
  };
}
