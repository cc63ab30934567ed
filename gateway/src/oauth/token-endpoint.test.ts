// POST /oauth/token and /.well-known/jwks.json over real HTTP against a real store, on both engines: either client
// authentication method gets a token that verifyAccessToken and jose (with the published JWKS) accept; every
// client authentication failure is the same 401; malformed requests are RFC 6749 §5.2 errors; and no response,
// whatever it says, may be cached.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLocalJWKSet, jwtVerify } from 'jose';
import pino from 'pino';
import type { RunningServer } from '../../../internal/src/http/start-server';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing } from '../../../keys/src/domain/key-digest';
import { createSecretBoxRing } from '../../../keys/src/domain/secret-box';
import { memoryInvalidationBus } from '../../../keys/src/events/invalidation';
import { createOAuthClientWithSecret } from '../../../keys/src/oauth/oauth-client-secrets';
import { createOAuthService, type OAuthService } from '../../../keys/src/oauth/oauth-service';
import { oauthSettings } from '../../../keys/src/oauth/oauth-settings';
import { openKeysStore, signUp, testApp, type TestDeps } from '../../../keys/src/store/test-fixtures';
import { DEFAULT_PROBLEM_BASE_URL, JWKS_PATH, TOKEN_PATH } from './endpoint';
import { createJwksEndpoint } from './jwks-endpoint';
import { createTokenEndpoint } from './token-endpoint';
import { serveEndpoints } from './testing/serve-endpoints';

const peppers = createPepperRing([{ id: 'p1', secret: randomBytes(32) }]);
const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
const settings = oauthSettings({
  issuer: 'https://gateway.portico.test',
  audience: 'https://api.portico.test',
});
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const GRANT = 'grant_type=client_credentials';
const UNKNOWN_CLIENT_ID = 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1';
const INVALID_CLIENT_BODY = { error: 'invalid_client', error_description: 'Client authentication failed.' };

/** RFC 6749 Appendix B: each part form-urlencoded, then `id:secret` base64-encoded. */
function basic(id: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), lines };
}

describeEachStore('gateway OAuth endpoints', (store) => {
  let deps: TestDeps;
  let oauth: OAuthService;
  let server: RunningServer;
  let log: ReturnType<typeof capturingLogger>;

  beforeAll(async () => {
    deps = await openKeysStore(store, 'gateway_oauth');
  });
  beforeEach(async () => {
    oauth = createOAuthService({ ...deps, peppers, secretBox, bus: memoryInvalidationBus(), settings });
    await oauth.ensureIssuerKey();
    log = capturingLogger();
    server = await serveEndpoints({
      [TOKEN_PATH]: createTokenEndpoint({ issueAccessToken: oauth.issueAccessToken, logger: log.logger }),
      [JWKS_PATH]: createJwksEndpoint({ currentJwks: oauth.currentJwks }),
    });
  });
  afterEach(async () => {
    await server.close();
    oauth.close();
  });

  async function client(scopes = ['crm:read', 'crm:write']) {
    const tenant = await signUp(deps);
    const app = await testApp(deps, tenant);
    const created = await createOAuthClientWithSecret(
      deps,
      peppers,
      { partnerId: tenant.partner.id },
      app.id,
      { name: 'Order sync', scopes, accessTokenTtlSeconds: 600 },
      tenant.as,
    );
    return { clientId: created.oauthClient.id, secret: created.clientSecret, app, tenant };
  }

  /** A token request; every answer, whatever its status, must forbid caching (RFC 6749 §5.1, §5.2). */
  async function post(
    body: string,
    headers: Record<string, string> = FORM,
    options: { method?: string; query?: string } = {},
  ) {
    const response = await fetch(`${server.baseUrl}${TOKEN_PATH}${options.query ?? ''}`, {
      method: options.method ?? 'POST',
      headers,
      ...(options.method === 'GET' || options.method === 'HEAD' ? {} : { body }),
    });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text ? JSON.parse(text) : undefined,
    };
  }

  async function jwks() {
    const response = await fetch(`${server.baseUrl}${JWKS_PATH}`);
    return { response, body: (await response.json()) as { keys: Array<{ kid: string }> } };
  }

  test('HTTP Basic and client_secret_post both issue a token that verifyAccessToken accepts', async () => {
    const c = await client();
    const viaBasic = await post(GRANT, { ...FORM, authorization: basic(c.clientId, c.secret) });
    const viaPost = await post(
      `${GRANT}&client_id=${c.clientId}&client_secret=${encodeURIComponent(c.secret)}&scope=crm%3Aread`,
    );
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers.get('content-type')).toBe('application/json');
    expect(viaBasic.json).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      scope: 'crm:read crm:write',
    });
    expect(viaPost.status).toBe(200);
    expect(viaPost.json.scope).toBe('crm:read');
    for (const [answer, scopes] of [
      [viaBasic, ['crm:read', 'crm:write']],
      [viaPost, ['crm:read']],
    ] as const) {
      expect(await oauth.verifyAccessToken(answer.json.access_token)).toMatchObject({
        outcome: 'valid',
        token: { clientId: c.clientId, appId: c.app.id, partnerId: c.tenant.partner.id, scopes },
      });
    }
  });

  test('a wrong secret, an unknown client, a malformed id or no credentials all get the identical 401', async () => {
    const c = await client();
    const other = await client();
    const answers = [
      await post(GRANT, { ...FORM, authorization: basic(c.clientId, other.secret) }),
      await post(`${GRANT}&client_id=${c.clientId}&client_secret=${other.secret}`),
      await post(GRANT, { ...FORM, authorization: basic(UNKNOWN_CLIENT_ID, c.secret) }),
      await post(`${GRANT}&client_id=${UNKNOWN_CLIENT_ID}&client_secret=${c.secret}`),
      await post(GRANT, { ...FORM, authorization: basic('not-a-client', c.secret) }),
      await post(`${GRANT}&client_id=not-a-client&client_secret=${c.secret}`),
      await post(`${GRANT}&client_id=${c.clientId}`),
      await post(GRANT),
      await post(GRANT, { ...FORM, authorization: 'Basic !!!' }),
      await post(GRANT, { ...FORM, authorization: `Bearer ${c.secret}` }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual(INVALID_CLIENT_BODY);
      expect(answer.headers.get('www-authenticate')).toBe('Basic realm="portico"');
    }
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  test('the handler reports why, for the log, without the caller seeing it', async () => {
    const c = await client();
    const other = await client();
    const endpoint = createTokenEndpoint({ issueAccessToken: oauth.issueAccessToken, logger: log.logger });
    const call = (body: string, headers: Record<string, string> = FORM) =>
      endpoint({ method: 'POST', headers, body: Buffer.from(body), requestId: 'req_1' });
    const outcomes = [
      await call(`${GRANT}&client_id=${c.clientId}&client_secret=${other.secret}`),
      await call(`${GRANT}&client_id=${UNKNOWN_CLIENT_ID}&client_secret=${c.secret}`),
      await call(GRANT, { ...FORM, authorization: basic('not-a-client', c.secret) }),
      await call(`${GRANT}&scope=orders:read`, { ...FORM, authorization: basic(c.clientId, c.secret) }),
      await call(`${GRANT}&grant_type=x`),
      await call(GRANT, { ...FORM, authorization: basic(c.clientId, c.secret) }),
    ];
    expect(outcomes.map((o) => o.outcome)).toEqual([
      'invalid_client:wrong_secret',
      'invalid_client:unknown_client',
      'invalid_client:malformed_client_id',
      'invalid_scope:not_held',
      'invalid_request:repeated_parameter',
      'issued',
    ]);
    expect(outcomes[5]!.issued).toEqual({
      clientId: c.clientId,
      partnerId: c.tenant.partner.id,
      appId: c.app.id,
      environment: 'test',
      tokenId: expect.stringMatching(/^atk_/),
      kid: expect.any(String),
      matchedSecret: 'current',
      needsRedigest: false,
    });
    expect(JSON.stringify(outcomes.map(({ outcome, issued }) => ({ outcome, issued })))).not.toContain(
      c.secret,
    );
  });

  test('refuses Basic and client_secret_post at once, and a different client_id beside Basic', async () => {
    const c = await client();
    const both = await post(`${GRANT}&client_secret=${c.secret}`, {
      ...FORM,
      authorization: basic(c.clientId, c.secret),
    });
    expect(both.status).toBe(400);
    expect(both.json).toEqual({
      error: 'invalid_request',
      error_description: 'Authenticate with HTTP Basic or with client_secret in the body, not both.',
    });
    expect(both.headers.get('www-authenticate')).toBeNull();
    const twoIds = await post(`${GRANT}&client_id=${UNKNOWN_CLIENT_ID}`, {
      ...FORM,
      authorization: basic(c.clientId, c.secret),
    });
    expect(twoIds).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });

  test('refuses a repeated parameter (RFC 6749 §3.2), even a valid request otherwise', async () => {
    const c = await client();
    const auth = { ...FORM, authorization: basic(c.clientId, c.secret) };
    for (const body of [`${GRANT}&${GRANT}`, `${GRANT}&scope=crm:read&scope=crm:write`]) {
      expect(await post(body, auth)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    }
    expect(
      await post(`${GRANT}&client_id=${c.clientId}&client_id=${c.clientId}&client_secret=${c.secret}`),
    ).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });

  test('refuses any body that is not application/x-www-form-urlencoded', async () => {
    const c = await client();
    const authorization = basic(c.clientId, c.secret);
    // (fetch labels a string body without a Content-Type text/plain; the parser's tests cover a missing one.)
    for (const [contentType, body] of [
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['text/plain', GRANT],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--`,
      ],
    ] as const) {
      const answer = await post(body, { authorization, 'content-type': contentType });
      expect(answer).toMatchObject({
        status: 400,
        json: { error: 'invalid_request', error_description: expect.any(String) },
      });
    }
  });

  test('a grant other than client_credentials is unsupported_grant_type; no grant_type is invalid_request', async () => {
    const c = await client();
    const auth = { ...FORM, authorization: basic(c.clientId, c.secret) };
    for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS']) {
      expect(await post(`grant_type=${grant}`, auth)).toMatchObject({
        status: 400,
        json: { error: 'unsupported_grant_type' },
      });
    }
    expect(await post('scope=crm:read', auth)).toMatchObject({
      status: 400,
      json: { error: 'invalid_request' },
    });
  });

  test('a scope outside the client is invalid_scope (400) and names only the refused scope', async () => {
    const c = await client(['crm:read']);
    const answer = await post(`${GRANT}&scope=crm%3Aread+orders%3Aread`, {
      ...FORM,
      authorization: basic(c.clientId, c.secret),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      error: 'invalid_scope',
      error_description: 'The client may not request: orders:read.',
    });
  });

  test('credentials in the query string are refused, never read', async () => {
    const c = await client();
    const answer = await post(GRANT, FORM, { query: `?client_id=${c.clientId}&client_secret=${c.secret}` });
    expect(answer).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });

  test('a method other than POST is a 405 problem with Allow: POST, and not cacheable either', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await post('', FORM, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.json).toMatchObject({
        type: `${DEFAULT_PROBLEM_BASE_URL}method_not_allowed`,
        status: 405,
        code: 'method_not_allowed',
        instance: TOKEN_PATH,
        requestId: expect.stringMatching(/^req_/),
      });
    }
  });

  test('a failing store is a 500 problem, not cacheable, logged with the request id and without the secret', async () => {
    const c = await client();
    await server.close();
    server = await serveEndpoints({
      [TOKEN_PATH]: createTokenEndpoint({
        issueAccessToken: async () => {
          throw new Error('connection refused');
        },
        logger: log.logger,
        problemBaseUrl: 'https://docs.portico.test/problems/',
      }),
    });
    const answer = await post(GRANT, { ...FORM, authorization: basic(c.clientId, c.secret) });
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({
      type: 'https://docs.portico.test/problems/internal_error',
      code: 'internal_error',
    });
    expect(answer.text).not.toContain('connection refused');
    expect(log.lines).toHaveLength(1);
    expect(JSON.parse(log.lines[0]!)).toMatchObject({
      level: 50,
      requestId: expect.stringMatching(/^req_/),
      err: { message: 'connection refused' },
    });
    expect(log.lines.join('')).not.toContain(c.secret);
  });

  test('the JWKS lists the current key, and jose verifies an issued token with it', async () => {
    const c = await client();
    const issued = await post(GRANT, { ...FORM, authorization: basic(c.clientId, c.secret) });
    const { response, body } = await jwks();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const kid = (await oauth.keySet.jwks()).keys[0]!.kid;
    expect(body.keys.map((k) => k.kid)).toEqual([kid]);
    expect(JSON.stringify(body)).not.toMatch(/"d"/);

    const verified = await jwtVerify(issued.json.access_token, createLocalJWKSet(body as never), {
      issuer: settings.issuer,
      audience: settings.audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
      currentDate: deps.clock.now(),
    });
    expect(verified.protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid });
    expect(verified.payload).toMatchObject({ sub: c.clientId, client_id: c.clientId });
  });

  test('after a rotation the JWKS publishes both keys, and tokens of either verify with jose', async () => {
    const c = await client();
    const auth = { ...FORM, authorization: basic(c.clientId, c.secret) };
    const before = (await post(GRANT, auth)).json.access_token as string;
    const rotation = await oauth.rotateIssuerKey();
    const after = (await post(GRANT, auth)).json.access_token as string;
    const { body } = await jwks();
    expect(body.keys.map((k) => k.kid).sort()).toEqual([rotation.previousKid, rotation.currentKid].sort());
    const keySet = createLocalJWKSet(body as never);
    for (const token of [before, after]) {
      await expect(
        jwtVerify(token, keySet, {
          issuer: settings.issuer,
          audience: settings.audience,
          currentDate: deps.clock.now(),
        }),
      ).resolves.toMatchObject({ payload: { client_id: c.clientId } });
    }
  });
});
