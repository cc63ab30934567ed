// The rotation status on both engines: per pepper id, the secrets that can still be presented (revoked, expired and
// past-overlap ones do not count); per encryption key id, the sealed rows; and the digests that record no pepper.
import { randomBytes } from 'node:crypto';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing } from '../domain/key-digest';
import { createSecretBoxRing } from '../domain/secret-box';
import { ensureIssuerKey, rotateIssuerKey } from '../oauth/issuer-key-lifecycle';
import { createApiKey, revokeApiKey } from './api-keys';
import { inviteMember } from './member-invitations';
import { createOAuthClient, rotateOAuthClientSecret } from './oauth-clients';
import { createPersonalToken, revokePersonalToken } from './personal-tokens';
import { secretRotationStatus } from './rotation-status';
import { createSession } from './sessions';
import { createSigningKey, revokeSigningKey } from './signing-keys';
import { fakeSecret, openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const K1 = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
const K2 = createSecretBoxRing([{ id: 'k2', secret: randomBytes(32) }]);
const PEPPERS = createPepperRing([{ id: 'p2', secret: randomBytes(32) }]);
const ISSUER = { algorithm: 'ES256', maxTokenLifetimeSeconds: 3600, clockLeewaySeconds: 30 } as const;

describeEachStore('secret rotation status', (store) => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await openKeysStore(store, 'rotation_status');
  });

  const digest = () => randomBytes(32).toString('base64url');
  const inFuture = (ms: number) => new Date(deps.clock.now().getTime() + ms).toISOString();

  test('an empty store depends on no pepper and no encryption key', async () => {
    expect(await secretRotationStatus(deps)).toEqual({
      at: '2026-11-24T09:30:00.000Z',
      peppers: {},
      encryptionKeys: {},
      unattributed: {
        pendingInvitations: { count: 0, endsBy: null },
        liveSessions: { count: 0, endsBy: null },
      },
    });
  });

  test('counts per id only what can still be presented or opened, and what records no pepper id', async () => {
    const t = await signUp(deps);
    const scope = { partnerId: t.partner.id };
    const owner = { id: t.owner.id, partnerId: t.partner.id };
    const app = await testApp(deps, t);
    const apiKey = (pepperId: string, expiresAt: string | null = null) =>
      createApiKey(
        deps,
        scope,
        app.id,
        { name: 'k', secret: { ...fakeSecret(), pepperId }, expiresAt },
        t.as,
      );
    const token = (pepperId: string, expiresAt?: string) =>
      createPersonalToken(
        deps,
        owner,
        {
          name: 't',
          secret: { ...fakeSecret(), pepperId },
          scopes: ['platform:read'],
          ...(expiresAt ? { expiresAt } : {}),
        },
        t.as,
      );
    const clientSecret = (pepperId: string) => ({
      digest: digest(),
      pepperId,
      environment: 'test' as const,
      last4: 'abcd',
    });
    const client = (pepperId: string) =>
      createOAuthClient(deps, scope, app.id, { name: 'c', secret: clientSecret(pepperId) }, t.as);
    const rotate = (id: string, overlapSeconds: number) =>
      rotateOAuthClientSecret(deps, scope, app.id, id, { secret: clientSecret('p2'), overlapSeconds }, t.as);
    const invite = () =>
      inviteMember(
        deps,
        scope,
        {
          email: `dev.${randomBytes(3).toString('hex')}@jadepharm.example`,
          role: 'developer',
          invitation: { pepperId: 'p1', digest: digest() },
        },
        t.as,
      );
    const signIn = () =>
      createSession({ ...deps, peppers: PEPPERS }, t.owner, {
        requestId: 'req_t',
        ip: null,
        userAgent: null,
      });

    // What will have ended by the time of the count.
    await apiKey('p1', inFuture(HOUR_MS));
    await token('p1', inFuture(HOUR_MS));
    await rotate((await client('p1')).id, 60);
    await invite();
    await signIn();
    deps.clock.advance(8 * DAY_MS);

    await apiKey('p1');
    await apiKey('p1', inFuture(30 * DAY_MS));
    await apiKey('p2');
    const revokedKey = await apiKey('p1');
    await revokeApiKey(deps, scope, app.id, revokedKey.id, t.as);
    await token('p1');
    await token('p2');
    const revokedToken = await token('p1');
    await revokePersonalToken(deps, owner, revokedToken.id, t.as);
    await client('p1');
    await rotate((await client('p1')).id, 3600);
    await rotate((await client('p1')).id, 0);
    const pending = await invite();
    const session = await signIn();

    const hmac = (ring: typeof K1) =>
      createSigningKey(
        { ...deps, secretBox: ring },
        scope,
        app.id,
        { algorithm: 'hmac-sha256', name: 's' },
        t.as,
      );
    await hmac(K1);
    await hmac(K2);
    const revokedSigningKey = await hmac(K1);
    await revokeSigningKey(deps, scope, app.id, revokedSigningKey.signingKey.id, t.as);
    await ensureIssuerKey(deps, K1, ISSUER);
    await rotateIssuerKey(deps, K2, ISSUER, { emergency: true }); // the k1 key is retired: its private half is gone
    await rotateIssuerKey(deps, K2, ISSUER); // the first k2 key is retiring, still published

    const invitation = await deps.db
      .selectFrom('members')
      .select('invitation_expires_at')
      .where('id', '=', pending.id)
      .executeTakeFirstOrThrow();
    expect(await secretRotationStatus(deps)).toEqual({
      at: '2026-12-02T09:30:00.000Z',
      peppers: {
        p1: { apiKeys: 2, personalTokens: 1, oauthClientSecrets: 1, oauthClientPreviousSecrets: 1 },
        p2: { apiKeys: 1, personalTokens: 1, oauthClientSecrets: 3, oauthClientPreviousSecrets: 0 },
      },
      encryptionKeys: {
        k1: { signingKeys: 2, issuerKeys: 0 },
        k2: { signingKeys: 1, issuerKeys: 2 },
      },
      unattributed: {
        pendingInvitations: { count: 1, endsBy: invitation.invitation_expires_at },
        liveSessions: { count: 1, endsBy: session.session.absoluteExpiresAt },
      },
    });
  });
});
