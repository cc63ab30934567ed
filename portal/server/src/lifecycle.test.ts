// One partner's whole life through the management API, on every engine: every one of the 50 operations is called
// and succeeds at least once (the client validates each answer against the spec), and the run ends by proving that
// no operation was left out.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { startTestPortal, TEST_PASSWORD, type TestPortal } from './testing/portal-harness';
import { joinAs, personalToken } from './testing/members';

describeEachStore('management API lifecycle', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  const ok = (response: { status: number; text: string }, status = 200) => {
    expect({ status: response.status, body: response.status === status ? '' : response.text }).toEqual({
      status,
      body: '',
    });
  };

  test('every management operation, from sign-up to suspension', async () => {
    const owner = await portal.signUp({ partnerName: 'Jade Pharmacy' });
    const me = owner.client;
    const partnerId = owner.partner.id;

    ok(await me.call('getSession'));
    ok(await me.call('getMe'));
    ok(await me.call('getPartner'));
    const renamed = await me.call('updatePartner', {
      body: { website: 'https://jade.example', country: 'CN' },
    });
    ok(renamed);
    expect(renamed.body).toMatchObject({ website: 'https://jade.example', country: 'CN' });

    // Personal tokens: a script acts as the member.
    const { token } = await personalToken(owner, ['platform:read', 'platform:write']);
    const tokens = await me.call('listPersonalTokens');
    ok(tokens);
    const tokenId = tokens.body.data[0].id as string;
    ok(await me.call('getPersonalToken', { params: { personalTokenId: tokenId } }));
    ok(await portal.withToken(token).call('getMe'));

    // The team.
    const developer = await joinAs(portal, owner, 'developer');
    ok(await me.call('listMembers'));
    ok(await me.call('getMember', { params: { memberId: developer.member.id } }));
    ok(
      await me.call('updateMember', { params: { memberId: developer.member.id }, body: { role: 'viewer' } }),
    );
    ok(await me.call('removeMember', { params: { memberId: developer.member.id } }), 204);
    expect(
      (
        await portal.anonymous.call('login', {
          body: { email: developer.member.email, password: TEST_PASSWORD },
        })
      ).status,
    ).toBe(401);

    // Plans.
    const plans = await me.call('listPlans');
    ok(plans);
    ok(await me.call('getPlan', { params: { planId: owner.partner.planId } }));

    // A test app and its credentials.
    const app = await me.call('createApp', {
      body: {
        name: 'POS connector',
        environment: 'test',
        scopes: ['crm:read', 'crm:write', 'entitlements:read'],
      },
    });
    ok(app, 201);
    const appId = app.body.id as string;
    ok(await me.call('listApps'));
    ok(await me.call('getApp', { params: { appId } }));
    ok(await me.call('updateApp', { params: { appId }, body: { description: 'Till integration' } }));

    const key = await me.call('createApiKey', {
      params: { appId },
      body: { name: 'till', scopes: ['crm:read'] },
    });
    ok(key, 201);
    const apiKeyId = key.body.apiKey.id as string;
    ok(await me.call('listApiKeys', { params: { appId } }));
    ok(await me.call('getApiKey', { params: { appId, apiKeyId } }));
    const rolled = await me.call('rollApiKey', {
      params: { appId, apiKeyId },
      body: { overlapSeconds: 600 },
    });
    ok(rolled, 201);
    ok(await me.call('revokeApiKey', { params: { appId, apiKeyId: rolled.body.apiKey.id } }));

    const client = await me.call('createOAuthClient', { params: { appId }, body: { name: 'worker' } });
    ok(client, 201);
    const oauthClientId = client.body.oauthClient.id as string;
    ok(await me.call('listOAuthClients', { params: { appId } }));
    ok(await me.call('getOAuthClient', { params: { appId, oauthClientId } }));
    ok(
      await me.call('rotateOAuthClientSecret', {
        params: { appId, oauthClientId },
        body: { overlapSeconds: 0 },
      }),
    );
    ok(await me.call('deleteOAuthClient', { params: { appId, oauthClientId } }), 204);

    const signing = await me.call('createSigningKey', {
      params: { appId },
      body: { algorithm: 'hmac-sha256', name: 'back office' },
    });
    ok(signing, 201);
    const signingKeyId = signing.body.signingKey.id as string;
    ok(await me.call('listSigningKeys', { params: { appId } }));
    ok(await me.call('getSigningKey', { params: { appId, signingKeyId } }));
    ok(await me.call('revokeSigningKey', { params: { appId, signingKeyId } }));

    ok(await me.call('getAppUsage', { params: { appId } }));
    ok(await me.call('getPartnerUsage'));
    ok(await me.call('listRequests', { query: { appId } }));
    const audit = await me.call('listAuditEvents', { query: { limit: 100 } });
    ok(audit);
    expect(audit.body.data.length).toBeGreaterThanOrEqual(15);

    // Live apps wait for the operator.
    const live = await me.call('createApp', {
      body: { name: 'POS live', environment: 'live', scopes: ['crm:read'] },
    });
    ok(live, 201);
    expect(live.body.status).toBe('pending_approval');
    const doubtful = await me.call('createApp', {
      body: { name: 'Risky', environment: 'live', scopes: ['crm:read'] },
    });
    ok(await portal.operator.call('operatorListApps', { query: { status: 'pending_approval' } }));
    ok(
      await portal.operator.call('operatorApproveApp', {
        params: { appId: live.body.id },
        body: { note: 'Reviewed.' },
      }),
    );
    ok(
      await portal.operator.call('operatorRejectApp', {
        params: { appId: doubtful.body.id },
        body: { reason: 'No DPA.' },
      }),
    );

    // The operator manages the partner.
    ok(await portal.operator.call('operatorListPartners'));
    ok(await portal.operator.call('operatorGetPartner', { params: { partnerId } }));
    const pro = (plans.body.data as Array<{ id: string; code?: string }>).find(
      (p) => p.id !== owner.partner.planId,
    );
    const allPlans = await portal.operator.call('listPlans');
    const other =
      pro ?? (allPlans.body.data as Array<{ id: string }>).find((p) => p.id !== owner.partner.planId)!;
    ok(
      await portal.operator.call('operatorChangePartnerPlan', {
        params: { partnerId },
        body: { planId: other.id },
      }),
    );
    ok(
      await portal.operator.call('operatorSuspendPartner', {
        params: { partnerId },
        body: { reason: 'Unpaid.' },
      }),
    );
    expect((await me.call('deleteApp', { params: { appId } })).status).toBe(403);
    ok(await portal.operator.call('operatorReinstatePartner', { params: { partnerId } }));

    // Clean-up a member would do.
    ok(await me.call('deleteApp', { params: { appId } }), 204);
    ok(await me.call('revokePersonalToken', { params: { personalTokenId: tokenId } }), 204);
    expect((await portal.withToken(token).call('getMe')).status).toBe(401);
    ok(await me.call('logout'), 204);

    expect(portal.anonymous.uncovered()).toEqual([]);
  });
});
