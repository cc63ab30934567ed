// OAuth 2.0 client credentials through the running gateway: a client made as the portal makes it gets an RFC 9068
// access token at POST /oauth/token (HTTP Basic) that calls the APIs; jose verifies it with the published JWKS; a
// token without the operation's scope gets 403 insufficient_scope; and a token that differs from a genuine one only
// in its audience, its issuer or its signing key gets the gateway's one 401.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from 'jose';
import { startTestPlatform, type TestCredential, type TestPlatform } from '../testing/test-platform';
import { problemShape, send, type Sent } from './testing/http-send';
import {
  createOAuthClientAsPortal,
  currentIssuerKey,
  requestToken,
  type TestOAuthClient,
} from './testing/oauth-clients';
import { describeEachVariant } from './testing/platform-variants';

const CUSTOMERS = '/crm/v1/customers';
const CUSTOMER = JSON.stringify({ kind: 'organization', name: 'Token Family Clinic' });

describeEachVariant('OAuth client credentials through the gateway', (variant) => {
  let platform: TestPlatform;
  let caller: TestCredential;
  let client: TestOAuthClient;

  beforeAll(async () => {
    platform = await startTestPlatform({
      dialect: variant.dialect,
      ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    });
    caller = await platform.partner();
    client = await createOAuthClientAsPortal(platform, caller);
  });
  afterAll(() => platform?.stop());

  async function tokenOf(from: TestOAuthClient, scope?: string): Promise<string> {
    const res = await requestToken(platform, from, scope);
    expect(res.status).toBe(200);
    return res.json<{ access_token: string }>().access_token;
  }

  function call(token: string, method = 'GET', body?: string): Promise<Sent> {
    return send(new URL(CUSTOMERS, platform.gatewayUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  }

  test('HTTP Basic at POST /oauth/token gets a bearer token that calls the APIs', async () => {
    const res = await requestToken(platform, client);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ access_token: string; token_type: string; expires_in: number; scope: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(body.scope.split(' ')).toEqual(expect.arrayContaining(['crm:read', 'crm:write']));

    const listed = await call(body.access_token);
    expect([listed.status, listed.headers['ratelimit-policy'] !== undefined]).toEqual([200, true]);
    const created = await call(body.access_token, 'POST', CUSTOMER);
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Token Family Clinic' });
  });

  test('jose verifies the token with /.well-known/jwks.json, the issuer and the audience', async () => {
    const token = await tokenOf(client);
    const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', platform.gatewayUrl));
    const publicUrl = platform.config.gateway.publicUrl;
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: publicUrl,
      audience: publicUrl,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
    });
    expect(protectedHeader).toMatchObject({ typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: client.clientId,
      client_id: client.clientId,
      'https://portico.dev/partner_id': caller.partnerId,
      'https://portico.dev/app_id': caller.appId,
      'https://portico.dev/environment': 'test',
    });
  });

  test('a token without the scope an operation needs gets 403 insufficient_scope naming it', async () => {
    const readOnlyClient = await createOAuthClientAsPortal(platform, caller, { scopes: ['crm:read'] });
    const narrowed = await tokenOf(client, 'crm:read');
    for (const token of [await tokenOf(readOnlyClient), narrowed]) {
      expect((await call(token)).status).toBe(200);
      const refused = await call(token, 'POST', CUSTOMER);
      expect(refused.status).toBe(403);
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer realm="portico", error="insufficient_scope", scope="crm:write"',
      );
      expect(refused.json()).toMatchObject({ status: 403, code: 'insufficient_scope' });
    }
  });

  test('a token for another audience or issuer, or signed by another key, gets the same 401 as a bad API key', async () => {
    const genuine = await tokenOf(client);
    const issuerKey = await currentIssuerKey(platform);
    const header = decodeProtectedHeader(genuine);
    expect(header.kid).toBe(issuerKey.kid);
    const claims = decodeJwt(genuine);
    const resign = (payload: JWTPayload, key: KeyObject = issuerKey.key, kid = issuerKey.kid) =>
      new SignJWT(payload).setProtectedHeader({ alg: issuerKey.algorithm, kid, typ: 'at+jwt' }).sign(key);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

    // The forging itself is sound: the genuine claims re-signed with the issuer key are served.
    expect((await call(await resign(claims))).status).toBe(200);

    const forged: Record<string, string> = {
      'another audience': await resign({ ...claims, aud: 'https://api.elsewhere.example' }),
      'another issuer': await resign({ ...claims, iss: 'https://issuer.elsewhere.example' }),
      'another key under the issuer key id': await resign(claims, otherKey),
      'another key under an unknown key id': await resign(claims, otherKey, 'not-a-published-kid'),
    };
    const badApiKey = await send(new URL(CUSTOMERS, platform.gatewayUrl), {
      headers: { authorization: `Bearer ptc_test_${randomBytes(24).toString('hex')}` },
    });
    const expected = {
      status: 401,
      challenge: 'Bearer realm="portico", error="invalid_token"',
      body: problemShape(badApiKey),
    };
    expect(expected.body).toMatchObject({ status: 401, code: 'unauthenticated' });
    const answers: Record<string, unknown> = {};
    for (const [name, token] of Object.entries(forged)) {
      const res = await call(token);
      answers[name] = {
        status: res.status,
        challenge: res.headers['www-authenticate'],
        body: res.status === 401 ? problemShape(res) : res.text,
      };
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, expected])));
  });
});
