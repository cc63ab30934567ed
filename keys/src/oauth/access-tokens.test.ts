// Client credentials end to end on both engines: a client made by the management path gets an RFC 9068 token from
// issueAccessToken, and verifyAccessToken accepts it — and refuses, as data, every failure: wrong or unknown
// clients alike, scopes not held, expired and future tokens, algorithm confusion, foreign issuers and audiences,
// unknown kids (reloading the keys at most once per interval), and the tokens of a deleted client.
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { changePartnerStatus } from '../store/partners';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing } from '../domain/key-digest';
import { createSecretBoxRing } from '../domain/secret-box';
import { memoryInvalidationBus, type InvalidationBus } from '../events/invalidation';
import { findCurrentIssuerKey } from '../store/issuer-keys';
import { deleteOAuthClient, findOAuthClientRecord } from '../store/oauth-clients';
import { OPERATOR, openKeysStore, signUp, testApp, type TestDeps } from '../store/test-fixtures';
import { VerificationCache } from '../verify/verification-cache';
import { APP_CLAIM, ENVIRONMENT_CLAIM, PARTNER_CLAIM } from './claims';
import { toClientStanding, type ClientStanding } from './client-authentication';
import { openIssuerPrivateKey, verificationKeyFromJwk } from './issuer-key-material';
import { createOAuthClientWithSecret, rotateOAuthClientSecretWithNew } from './oauth-client-secrets';
import { createOAuthService, type OAuthService } from './oauth-service';
import { oauthSettings } from './oauth-settings';
import { PublishedKeySet } from './published-key-set';
import { listPublishedIssuerKeys } from '../store/issuer-keys';
import { tokenErrorResponse, type TokenIssuance } from './token-outcomes';
import { createAccessTokenVerifier } from './verify-access-token';

const peppers = createPepperRing([{ id: 'p1', secret: randomBytes(32) }]);
const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
const settings = oauthSettings({
  issuer: 'https://gateway.portico.test',
  audience: 'https://api.portico.test',
});

describeEachStore('OAuth access tokens', (store) => {
  let deps: TestDeps;
  let bus: InvalidationBus;
  let oauth: OAuthService;

  beforeAll(async () => {
    deps = await openKeysStore(store, 'oauth_tokens');
  });
  beforeEach(async () => {
    bus = memoryInvalidationBus();
    oauth = createOAuthService({ ...deps, peppers, secretBox, bus, settings });
    await oauth.ensureIssuerKey();
  });
  afterEach(() => oauth.close());

  async function client(options: { scopes?: string[]; accessTokenTtlSeconds?: number } = {}) {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const scope = { partnerId: tenant.partner.id };
    const created = await createOAuthClientWithSecret(
      deps,
      peppers,
      scope,
      app.id,
      { name: 'Order sync', ...options },
      tenant.as,
    );
    return { ...created, clientId: created.oauthClient.id, tenant, app, scope };
  }

  function issued(issuance: TokenIssuance) {
    if (issuance.outcome !== 'issued') throw new Error(`expected a token, got ${JSON.stringify(issuance)}`);
    return issuance;
  }

  /** A token signed with the real current issuer key, with any header and claims: what only a key holder could make. */
  async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const current = (await findCurrentIssuerKey(deps))!;
    const key = openIssuerPrivateKey(secretBox, current.kid, current.privateKeyCiphertext);
    return jwt.sign(claims, key, {
      algorithm: current.algorithm,
      header: { alg: current.algorithm, typ: 'at+jwt', kid: current.kid, ...header },
    });
  }

  async function validClaims(c: Awaited<ReturnType<typeof client>>) {
    const token = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    return jwt.decode(token.response.access_token) as Record<string, unknown>;
  }

  test('issues an RFC 9068 token with the RFC 6749 §5.1 response, and it verifies', async () => {
    const c = await client({ scopes: ['crm:read', 'crm:write'], accessTokenTtlSeconds: 600 });
    const issuance = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    expect(issuance.response).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'crm:read crm:write',
    });
    const decoded = jwt.decode(issuance.response.access_token, { complete: true })!;
    const current = await findCurrentIssuerKey(deps);
    expect(decoded.header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: current!.kid });
    const iat = Math.floor(deps.clock.now().getTime() / 1000);
    expect(decoded.payload).toEqual({
      iss: 'https://gateway.portico.test',
      aud: 'https://api.portico.test',
      sub: c.clientId,
      client_id: c.clientId,
      iat,
      nbf: iat,
      exp: iat + 600,
      jti: expect.stringMatching(/^atk_/),
      scope: 'crm:read crm:write',
      [PARTNER_CLAIM]: c.tenant.partner.id,
      [APP_CLAIM]: c.app.id,
      [ENVIRONMENT_CLAIM]: 'test',
    });
    expect(await oauth.verifyAccessToken(issuance.response.access_token)).toEqual({
      outcome: 'valid',
      token: {
        clientId: c.clientId,
        partnerId: c.tenant.partner.id,
        appId: c.app.id,
        environment: 'test',
        scopes: ['crm:read', 'crm:write'],
        tokenId: (decoded.payload as { jti: string }).jti,
        expiresAt: new Date((iat + 600) * 1000).toISOString(),
        planId: c.tenant.partner.planId,
      },
    });
  });

  test('an unknown client, a wrong secret, a deleted client and a suspended partner all get the same answer', async () => {
    const c = await client();
    const other = await client();
    const answers: TokenIssuance[] = [];
    answers.push(
      await oauth.issueAccessToken({
        clientId: 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1',
        clientSecret: c.clientSecret,
      }),
    );
    answers.push(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: other.clientSecret }));
    answers.push(await oauth.issueAccessToken({ clientId: 'not-a-client', clientSecret: c.clientSecret }));
    answers.push(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: 'hunter2' }));
    answers.push(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: undefined }));
    await deleteOAuthClient(deps, other.scope, other.app.id, other.clientId, other.tenant.as);
    answers.push(
      await oauth.issueAccessToken({ clientId: other.clientId, clientSecret: other.clientSecret }),
    );
    await changePartnerStatus(deps, c.tenant.partner.id, { action: 'suspend', reason: 'unpaid' }, OPERATOR);
    answers.push(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }));
    expect(answers.map((a) => (a.outcome === 'invalid_client' ? a.reason : a.outcome))).toEqual([
      'unknown_client',
      'wrong_secret',
      'malformed_client_id',
      'malformed_secret',
      'malformed_secret',
      'unknown_client',
      'partner_suspended',
    ]);
    const bodies = answers.map((a) =>
      JSON.stringify(tokenErrorResponse(a as Exclude<TokenIssuance, { outcome: 'issued' }>)),
    );
    expect(new Set(bodies)).toEqual(
      new Set([
        JSON.stringify({
          status: 401,
          body: { error: 'invalid_client', error_description: 'Client authentication failed.' },
        }),
      ]),
    );
  });

  test('a client of a deleted app cannot get a token', async () => {
    const c = await client();
    await deps.db
      .updateTable('apps')
      .set({ deleted_at: deps.clock.now().toISOString() })
      .where('id', '=', c.app.id)
      .execute();
    expect(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret })).toEqual({
      outcome: 'invalid_client',
      reason: 'app_deleted',
    });
  });

  test('scopes: a requested subset is granted; a scope not held by client, app or plan is invalid_scope', async () => {
    const c = await client({ scopes: ['crm:read', 'crm:write'] });
    const narrowed = issued(
      await oauth.issueAccessToken({
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        requestedScope: 'crm:read',
      }),
    );
    expect(narrowed.response.scope).toBe('crm:read');
    expect(
      await oauth.issueAccessToken({
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        requestedScope: 'orders:read',
      }),
    ).toEqual({
      outcome: 'invalid_scope',
      reason: 'not_held',
      scopes: ['orders:read'],
    });
    // A plan that grants less narrows what the client may get.
    await deps.db
      .insertInto('plans')
      .values({
        id: `pln_${randomBytes(13).toString('hex').toUpperCase().slice(0, 26)}`.replace(/[ILOU]/g, '0'),
        code: `narrow_${randomBytes(3).toString('hex')}`,
        name: 'Narrow',
        description: 'CRM reads only',
        offered: 0,
        rate_limits: '[]',
        quotas: '[]',
        apis: '["crm"]',
        scopes: '["crm:read"]',
        created_at: deps.clock.now().toISOString(),
        updated_at: deps.clock.now().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then(({ id }) =>
        deps.db.updateTable('partners').set({ plan_id: id }).where('id', '=', c.tenant.partner.id).execute(),
      );
    expect(
      await oauth.issueAccessToken({
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        requestedScope: 'crm:write',
      }),
    ).toMatchObject({ outcome: 'invalid_scope', reason: 'not_held', scopes: ['crm:write'] });
    expect(
      issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret })).response
        .scope,
    ).toBe('crm:read');
  });

  test('after a secret rotation the previous secret works during the overlap only', async () => {
    const c = await client();
    const rotated = await rotateOAuthClientSecretWithNew(
      deps,
      peppers,
      c.scope,
      c.app.id,
      c.clientId,
      { overlapSeconds: 600 },
      c.tenant.as,
    );
    expect(
      issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: rotated.clientSecret }))
        .matchedSecret,
    ).toBe('current');
    expect(
      issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
        .matchedSecret,
    ).toBe('previous');
    deps.clock.advance(600_000);
    expect(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret })).toEqual({
      outcome: 'invalid_client',
      reason: 'wrong_secret',
    });
  });

  test('a token is refused once expired, with 30 s of leeway', async () => {
    const c = await client({ accessTokenTtlSeconds: 60 });
    const token = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    deps.clock.advance(60_000 + 29_000);
    expect((await oauth.verifyAccessToken(token.response.access_token)).outcome).toBe('valid');
    deps.clock.advance(1_000);
    expect(await oauth.verifyAccessToken(token.response.access_token)).toEqual({ outcome: 'expired' });
  });

  test('a token from an issuer whose clock runs ahead is accepted within the leeway, refused beyond it', async () => {
    const c = await client();
    const claims = await validClaims(c);
    const at = (offset: number) => ({
      ...claims,
      iat: (claims.iat as number) + offset,
      nbf: (claims.nbf as number) + offset,
      exp: (claims.exp as number) + offset,
    });
    expect((await oauth.verifyAccessToken(await forge(at(30)))).outcome).toBe('valid');
    expect(await oauth.verifyAccessToken(await forge(at(31)))).toEqual({ outcome: 'not_yet_valid' });
  });

  test('algorithm confusion: an HS256 token keyed with the published public key is refused', async () => {
    const c = await client();
    const claims = await validClaims(c);
    const current = (await findCurrentIssuerKey(deps))!;
    const [published] = await listPublishedIssuerKeys(deps, deps.clock.now().toISOString());
    const publicPem = verificationKeyFromJwk(published!.publicJwk).export({
      format: 'pem',
      type: 'spki',
    }) as string;
    // The attacker's token: HMAC with the public key (which anyone can fetch from the JWKS) as the secret.
    const header = { alg: 'HS256', typ: 'at+jwt', kid: current.kid };
    const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const signingInput = `${encode(header)}.${encode(claims)}`;
    const hs256 = `${signingInput}.${createHmac('sha256', publicPem).update(signingInput).digest('base64url')}`;
    expect(await oauth.verifyAccessToken(hs256)).toEqual({ outcome: 'algorithm_not_allowed' });
    // The same with `none` and an empty signature.
    const none = `${encode({ ...header, alg: 'none' })}.${encode(claims)}.`;
    expect(await oauth.verifyAccessToken(none)).toEqual({ outcome: 'algorithm_not_allowed' });
    // And a header claiming RS256 for an ES256 key.
    const rs = `${encode({ ...header, alg: 'RS256' })}.${encode(claims)}.${hs256.split('.')[2]}`;
    expect(await oauth.verifyAccessToken(rs)).toEqual({ outcome: 'algorithm_not_allowed' });
  });

  test('a tampered payload fails the signature; a foreign issuer or audience is refused', async () => {
    const c = await client();
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    const [h, , s] = token.split('.');
    const claims = jwt.decode(token) as Record<string, unknown>;
    const widened = Buffer.from(
      JSON.stringify({ ...claims, scope: 'crm:read crm:write orders:write' }),
    ).toString('base64url');
    expect(await oauth.verifyAccessToken(`${h}.${widened}.${s}`)).toEqual({ outcome: 'bad_signature' });
    expect(await oauth.verifyAccessToken(await forge({ ...claims, iss: 'https://evil.example' }))).toEqual({
      outcome: 'wrong_issuer',
    });
    expect(
      await oauth.verifyAccessToken(await forge({ ...claims, aud: 'https://other-api.example' })),
    ).toEqual({
      outcome: 'wrong_audience',
    });
  });

  test('only access tokens are accepted: typ must be at+jwt (or application/at+jwt)', async () => {
    const c = await client();
    const claims = await validClaims(c);
    expect(await oauth.verifyAccessToken(await forge(claims, { typ: 'JWT' }))).toEqual({
      outcome: 'wrong_type',
    });
    expect(await oauth.verifyAccessToken(await forge(claims, { typ: undefined }))).toEqual({
      outcome: 'wrong_type',
    });
    expect((await oauth.verifyAccessToken(await forge(claims, { typ: 'application/at+jwt' }))).outcome).toBe(
      'valid',
    );
  });

  test('a token without exp, or whose sub is not its client, is refused', async () => {
    const c = await client();
    const { exp: _exp, ...noExp } = await validClaims(c);
    expect(await oauth.verifyAccessToken(await forge(noExp))).toEqual({ outcome: 'missing_claims' });
    const claims = await validClaims(c);
    expect(await oauth.verifyAccessToken(await forge({ ...claims, sub: 'someone-else' }))).toEqual({
      outcome: 'missing_claims',
    });
    const other = await client();
    expect(await oauth.verifyAccessToken(await forge({ ...claims, [APP_CLAIM]: other.app.id }))).toEqual({
      outcome: 'client_mismatch',
    });
  });

  test.each([['not a token'], ['a.b'], [42], [`${'a'.repeat(5000)}.b.c`]])(
    '%p is malformed',
    async (presented) => {
      expect(await oauth.verifyAccessToken(presented)).toEqual({ outcome: 'malformed' });
    },
  );

  test('known kids never reach the store; unknown kids reload the keys at most once per interval', async () => {
    const c = await client();
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    await oauth.verifyAccessToken(token);
    const loads = oauth.keySet.loads;
    for (let i = 0; i < 5; i++) expect((await oauth.verifyAccessToken(token)).outcome).toBe('valid');
    expect(oauth.keySet.loads).toBe(loads);
    const claims = jwt.decode(token) as Record<string, unknown>;
    const unknownKid = await forge(claims, { kid: 'made-up' });
    expect(await oauth.verifyAccessToken(unknownKid)).toEqual({ outcome: 'unknown_key' });
    deps.clock.advance(10_000);
    expect(await oauth.verifyAccessToken(unknownKid)).toEqual({ outcome: 'unknown_key' });
    const afterFirst = oauth.keySet.loads;
    expect(afterFirst).toBe(loads + 1);
    for (let i = 0; i < 20; i++) await oauth.verifyAccessToken(await forge(claims, { kid: `made-up-${i}` }));
    expect(oauth.keySet.loads).toBe(afterFirst);
    deps.clock.advance(10_000);
    await oauth.verifyAccessToken(unknownKid);
    expect(oauth.keySet.loads).toBe(afterFirst + 1);
  });

  test('a warm client standing is answered from memory; only the first verification asks the store', async () => {
    const c = await client();
    let lookups = 0;
    const keys = new PublishedKeySet({
      load: (now) => listPublishedIssuerKeys(deps, now),
      clock: deps.clock,
      settings,
    });
    const verify = createAccessTokenVerifier({
      keys,
      findClient: async (clientId) => {
        lookups += 1;
        const record = await findOAuthClientRecord(deps, clientId);
        return record && toClientStanding(record);
      },
      cache: new VerificationCache<ClientStanding | null>({
        clock: deps.clock,
        ttlMs: 30_000,
        negativeTtlMs: 2_000,
        maxEntries: 100,
      }),
      clock: deps.clock,
      settings,
    });
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    await Promise.all([verify(token), verify(token), verify(token)]);
    for (let i = 0; i < 10; i++) await verify(token);
    expect(lookups).toBe(1);
    expect(keys.loads).toBe(1);
  });

  test("deleting a client rejects its tokens at once, before they expire (the delete's invalidation)", async () => {
    const c = await client();
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    expect((await oauth.verifyAccessToken(token)).outcome).toBe('valid');
    const { invalidation } = await deleteOAuthClient(deps, c.scope, c.app.id, c.clientId, c.tenant.as);
    await bus.publish(invalidation);
    expect(await oauth.verifyAccessToken(token)).toEqual({ outcome: 'client_not_found' });
  });

  test('a suspended partner’s tokens are refused once the cached standing is dropped or has aged out', async () => {
    const c = await client();
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    expect((await oauth.verifyAccessToken(token)).outcome).toBe('valid');
    await changePartnerStatus(deps, c.tenant.partner.id, { action: 'suspend', reason: 'fraud' }, OPERATOR);
    // Without an event the cache bounds staleness by its TTL (30 s).
    expect((await oauth.verifyAccessToken(token)).outcome).toBe('valid');
    deps.clock.advance(30_000);
    expect(await oauth.verifyAccessToken(token)).toEqual({ outcome: 'partner_suspended' });
  });

  test('an app narrowed after issuance narrows its live tokens', async () => {
    const c = await client({ scopes: ['crm:read', 'crm:write'] });
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    await deps.db.updateTable('apps').set({ scopes: '["crm:read"]' }).where('id', '=', c.app.id).execute();
    await bus.publish({ type: 'credential', credentialId: c.clientId });
    expect(await oauth.verifyAccessToken(token)).toMatchObject({
      outcome: 'valid',
      token: { scopes: ['crm:read'] },
    });
  });

  test('issuer key rotation: old tokens verify until they expire, the JWKS keeps the old key just as long', async () => {
    const c = await client();
    const before = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    expect((await oauth.verifyAccessToken(before.response.access_token)).outcome).toBe('valid');
    // Another process's verifier, warm before the rotation and not on this bus.
    const elsewhere = createOAuthService({
      ...deps,
      peppers,
      secretBox,
      bus: memoryInvalidationBus(),
      settings,
    });
    expect((await elsewhere.verifyAccessToken(before.response.access_token)).outcome).toBe('valid');

    const rotation = await oauth.rotateIssuerKey();
    expect(rotation.previousKid).toBe(before.token.kid);
    const after = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    expect(after.token.kid).toBe(rotation.currentKid);
    // This process heard the rotation on its bus and knows the new kid at once.
    expect((await oauth.verifyAccessToken(after.response.access_token)).outcome).toBe('valid');
    // The other (not on the bus) had just loaded its keys: an unknown kid reloads only after the interval.
    expect(await elsewhere.verifyAccessToken(after.response.access_token)).toEqual({
      outcome: 'unknown_key',
    });
    deps.clock.advance(settings.unknownKidRefreshSeconds * 1000);
    expect((await elsewhere.verifyAccessToken(after.response.access_token)).outcome).toBe('valid');
    expect((await oauth.verifyAccessToken(before.response.access_token)).outcome).toBe('valid');
    expect((await oauth.currentJwks()).keys.map((k) => k.kid)).toEqual([
      rotation.currentKid,
      before.token.kid,
    ]);

    // One second before the end of its publication the old key's last tokens are still within their leeway …
    deps.clock.advance(3600_000 + 30_000 - settings.unknownKidRefreshSeconds * 1000 - 1000);
    expect((await oauth.verifyAccessToken(before.response.access_token)).outcome).toBe('valid');
    expect((await oauth.currentJwks()).keys).toHaveLength(2);
    // … and then both end together.
    deps.clock.advance(1000);
    expect(await oauth.verifyAccessToken(before.response.access_token)).toEqual({ outcome: 'unknown_key' });
    expect((await oauth.currentJwks()).keys.map((k) => k.kid)).toEqual([rotation.currentKid]);
    elsewhere.close();
  });

  test('an emergency rotation makes the old key’s tokens fail at once', async () => {
    const c = await client();
    const before = issued(
      await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }),
    );
    await oauth.rotateIssuerKey({ emergency: true });
    expect(await oauth.verifyAccessToken(before.response.access_token)).toEqual({ outcome: 'unknown_key' });
  });

  test('the JWKS publishes public keys only — no private member, ever', async () => {
    await oauth.rotateIssuerKey({ algorithm: 'RS256' });
    const jwks = await oauth.currentJwks();
    expect(jwks.keys[0]?.alg).toBe('RS256');
    expect(jwks.keys.map((k) => k.alg)).toContain('ES256');
    for (const key of jwks.keys) {
      expect(key.use).toBe('sig');
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(member);
    }
    expect(JSON.stringify(jwks)).not.toMatch(/"(d|p|q|dp|dq|qi|k)":/);
  });

  test('RS256 tokens are issued and verified after rotating to an RS256 key', async () => {
    const c = await client();
    await oauth.rotateIssuerKey({ algorithm: 'RS256' });
    const token = issued(await oauth.issueAccessToken({ clientId: c.clientId, clientSecret: c.clientSecret }))
      .response.access_token;
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('RS256');
    expect((await oauth.verifyAccessToken(token)).outcome).toBe('valid');
  });
});
