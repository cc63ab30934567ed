// Last-used times of API keys, OAuth clients and signing keys are written per scheme to their own table, in one
// batch at flush or close and not when the request is recorded.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../../../internal/src/logger';
import { describeEachStore } from '../../../../internal/src/testing/test-store';
import { createSecretBoxRing } from '../../../../keys/src/domain/secret-box';
import { createApiKey } from '../../../../keys/src/store/api-keys';
import { createOAuthClient } from '../../../../keys/src/store/oauth-clients';
import { createSigningKey } from '../../../../keys/src/store/signing-keys';
import {
  fakeSecret,
  openKeysStore,
  signUp,
  testApp,
  type TestDeps,
} from '../../../../keys/src/store/test-fixtures';
import { createCredentialUse } from './credential-use';

const logger = createLogger({ level: 'silent' });

describeEachStore('credential use', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'credential_use');
  });

  test('each scheme touches its own table, only when flushed', async () => {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const scope = { partnerId: tenant.partner.id };
    const apiKey = await createApiKey(deps, scope, app.id, { name: 'k', secret: fakeSecret() }, tenant.as);
    const digest = randomBytes(32).toString('base64url');
    const client = await createOAuthClient(
      deps,
      scope,
      app.id,
      { name: 'c', secret: { digest, pepperId: 'p1', environment: 'test', last4: digest.slice(-4) } },
      tenant.as,
    );
    const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
    const { signingKey } = await createSigningKey(
      { ...deps, secretBox },
      scope,
      app.id,
      { algorithm: 'hmac-sha256', name: 's' },
      tenant.as,
    );
    const lastUsed = async () => ({
      apiKey: (
        await deps.db.selectFrom('api_keys').select('last_used_at').where('id', '=', apiKey.id).execute()
      )[0]?.last_used_at,
      oauth2: (
        await deps.db.selectFrom('oauth_clients').select('last_used_at').where('id', '=', client.id).execute()
      )[0]?.last_used_at,
      signature: (
        await deps.db
          .selectFrom('signing_keys')
          .select('last_used_at')
          .where('id', '=', signingKey.id)
          .execute()
      )[0]?.last_used_at,
    });

    deps.clock.set('2026-11-24T12:00:00.000Z');
    const use = createCredentialUse({ db: deps.db, clock: deps.clock, logger, flushIntervalMs: 3_600_000 });
    use.record('apiKey', apiKey.id);
    use.record('oauth2', client.id);
    // An id recorded under the wrong scheme touches nothing: each scheme writes only its own table.
    use.record('apiKey', signingKey.id);
    expect(await lastUsed()).toEqual({ apiKey: null, oauth2: null, signature: null });

    await use.flush();
    expect(await lastUsed()).toEqual({
      apiKey: '2026-11-24T12:00:00.000Z',
      oauth2: '2026-11-24T12:00:00.000Z',
      signature: null,
    });

    deps.clock.set('2026-11-24T12:05:00.000Z');
    use.record('signature', signingKey.id);
    await use.close();
    expect(await lastUsed()).toEqual({
      apiKey: '2026-11-24T12:00:00.000Z',
      oauth2: '2026-11-24T12:00:00.000Z',
      signature: '2026-11-24T12:05:00.000Z',
    });
  });
});
