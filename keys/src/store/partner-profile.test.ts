// The partner profile on both engines: only the given fields change, null clears an optional one, every change is
// one `partner.updated` event naming the fields, and a change that changes nothing records nothing.
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { listAuditEvents } from './audit-events';
import { updatePartnerProfile } from './partner-profile';
import { getPartner } from './partners';
import { openKeysStore, signUp, type TestDeps } from './test-fixtures';

describeEachStore('partner profile', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'partner_profile');
  });

  const updates = async (partnerId: string) =>
    (await listAuditEvents(deps, { partnerId }, { action: 'partner.updated' }, pageRequest({}, 'aud'))).data;

  test('changes only the given fields and records them with their new values', async () => {
    const tenant = await signUp(deps);
    deps.clock.advance(60_000);
    const updated = await updatePartnerProfile(
      deps,
      { partnerId: tenant.partner.id },
      { website: 'https://jadepharm.example', country: 'CN' },
      tenant.as,
    );
    expect(updated).toEqual({
      ...tenant.partner,
      website: 'https://jadepharm.example',
      country: 'CN',
      updatedAt: deps.clock.now().toISOString(),
    });
    expect(await getPartner(deps, tenant.partner.id)).toEqual(updated);
    const [event, ...rest] = await updates(tenant.partner.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: 'partner.updated',
      target: { type: 'partner', id: tenant.partner.id },
      actor: { type: 'member', memberId: tenant.owner.id },
      details: { fields: ['website', 'country'], website: 'https://jadepharm.example', country: 'CN' },
    });
  });

  test('null clears an optional field; name and contact email change too', async () => {
    const tenant = await signUp(deps);
    const scope = { partnerId: tenant.partner.id };
    await updatePartnerProfile(deps, scope, { website: 'https://a.example', country: 'DE' }, tenant.as);
    const cleared = await updatePartnerProfile(
      deps,
      scope,
      { website: null, name: 'Jade Pharmacy Ltd', contactEmail: 'dev@jadepharm.example' },
      tenant.as,
    );
    expect(cleared).toMatchObject({
      website: null,
      country: 'DE',
      name: 'Jade Pharmacy Ltd',
      contactEmail: 'dev@jadepharm.example',
    });
    expect((await updates(tenant.partner.id))[0]!.details).toEqual({
      fields: ['name', 'website', 'contactEmail'],
      name: 'Jade Pharmacy Ltd',
      website: null,
      contactEmail: 'dev@jadepharm.example',
    });
  });

  test('values equal to the current ones write nothing and record nothing', async () => {
    const tenant = await signUp(deps);
    deps.clock.advance(60_000);
    const same = await updatePartnerProfile(
      deps,
      { partnerId: tenant.partner.id },
      { name: tenant.partner.name, website: null },
      tenant.as,
    );
    expect(same).toEqual(tenant.partner);
    expect(await updates(tenant.partner.id)).toEqual([]);
  });

  test('another partner is untouched; an unknown partner is a 404', async () => {
    const a = await signUp(deps);
    const b = await signUp(deps);
    await updatePartnerProfile(deps, { partnerId: a.partner.id }, { country: 'FR' }, a.as);
    expect(await getPartner(deps, b.partner.id)).toEqual(b.partner);
    await expect(
      updatePartnerProfile(deps, { partnerId: 'prt_01JDQ7X3S4T1V9KX2M5Q8W0PRT' }, { country: 'FR' }, a.as),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
