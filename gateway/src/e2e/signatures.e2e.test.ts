// RFC 9421 signed requests through the running gateway, with HMAC and Ed25519 keys made in the store as the portal
// makes them: valid signatures (with and without a body) reach the backend; every kind of bad signature gets the
// one 401 of the gateway (same body, same WWW-Authenticate as a bad API key); a revoked key is refused at once; and
// the golden vectors of specs/signatures verify through the gateway as they do in the verifier's own tests.
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { manualClock, type ManualClock } from '../../../internal/src/clock';
import { createLogger } from '../../../internal/src/logger';
import { redisInvalidationBus } from '../../../keys/src/events/invalidation';
import { signRequest, type SignerKey } from '../policies/signature';
import type { BareItem } from '../policies/signature/structured-fields';
import { VECTORS_FILE, type buildGoldenVectors } from '../policies/signature/testing/golden-vectors';
import { profileParams, signComponents } from '../policies/signature/testing/signed-requests';
import { startTestPlatform, type TestCredential, type TestPlatform } from '../testing/test-platform';
import { eventually } from './testing/eventually';
import { problemShape, send, type Sent } from './testing/http-send';
import { describeEachVariant } from './testing/platform-variants';
import {
  createHmacSigningKey,
  registerEd25519SigningKey,
  revokeSigningKeyAsPortal,
} from './testing/signing-keys';

const CUSTOMERS = '/crm/v1/customers';
const JSON_TYPE = { 'content-type': 'application/json' } as const;
const CUSTOMER = JSON.stringify({ kind: 'organization', name: 'Signed Family Clinic' });
/** What every authentication failure answers once a credential was presented (RFC 6750 §3). */
const INVALID_TOKEN_CHALLENGE = 'Bearer realm="portico", error="invalid_token"';

/** A request as it goes on the wire: the Host it signed included, so it can be sent to any gateway. */
interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function deliver(baseUrl: string, request: WireRequest): Promise<Sent> {
  return send(new URL(request.path, baseUrl), {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
}

/** The limits policy runs only for an authenticated caller, so its RateLimit-Policy field proves authentication. */
function expectAuthenticated(res: Sent, status: number): void {
  expect({ status: res.status, authenticated: res.headers['ratelimit-policy'] !== undefined }).toEqual({
    status,
    authenticated: true,
  });
}

describeEachVariant('signed requests through the gateway', (variant) => {
  let platform: TestPlatform;
  let clock: ManualClock;
  let caller: TestCredential;
  let hmac: SignerKey;
  let ed25519: SignerKey;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  beforeAll(async () => {
    // Frozen at the current time: `created` ±300 s is then exact to the second on both sides of the wire.
    clock = manualClock(new Date());
    platform = await startTestPlatform({
      dialect: variant.dialect,
      clock,
      ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    });
    caller = await platform.partner();
    hmac = await createHmacSigningKey(platform, caller);
    ed25519 = await registerEd25519SigningKey(platform, caller);
  });
  afterAll(() => platform?.stop());

  /** signRequest, as a partner's SDK signs: what the gateway requires, @query always, Content-Digest with a body. */
  function signed(
    key: SignerKey,
    input: { method?: string; path?: string; body?: string; created?: number; nonce?: string } = {},
  ): WireRequest {
    const method = input.method ?? 'GET';
    const url = new URL(input.path ?? CUSTOMERS, platform.gatewayUrl);
    const headers: Record<string, string> = {
      host: url.host,
      ...(input.body !== undefined ? JSON_TYPE : {}),
    };
    const signature = signRequest({
      method,
      url,
      headers,
      ...(input.body !== undefined ? { body: input.body } : {}),
      key,
      clock,
      ...(input.created !== undefined ? { created: input.created } : {}),
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    });
    return {
      method,
      path: url.pathname + url.search,
      headers: { ...headers, ...signature.headers },
      ...(input.body !== undefined ? { body: input.body } : {}),
    };
  }

  /** Exactly these components and parameters: what signRequest would never send. */
  function custom(
    key: SignerKey,
    input: {
      method?: string;
      path?: string;
      body?: string;
      covered: string[];
      params?: Array<[string, BareItem]>;
    },
  ): WireRequest {
    const made = signComponents({
      key,
      method: input.method ?? 'GET',
      url: new URL(input.path ?? CUSTOMERS, platform.gatewayUrl).href,
      ...(input.body !== undefined ? { headers: { ...JSON_TYPE }, body: input.body } : {}),
      covered: input.covered,
      params: input.params ?? profileParams(key, nowSeconds()),
    });
    return {
      method: made.method,
      path: made.url,
      headers: made.headers as Record<string, string>,
      ...(input.body !== undefined ? { body: input.body } : {}),
    };
  }

  const keys = () => ({ 'hmac-sha256': hmac, ed25519 });

  test.each(['hmac-sha256', 'ed25519'] as const)(
    '%s: a signed GET, a GET with a query and a POST with a body (Content-Digest) are served',
    async (algorithm) => {
      const key = keys()[algorithm];
      expectAuthenticated(await deliver(platform.gatewayUrl, signed(key)), 200);
      expectAuthenticated(
        await deliver(platform.gatewayUrl, signed(key, { path: `${CUSTOMERS}?limit=5` })),
        200,
      );
      const created = await deliver(platform.gatewayUrl, signed(key, { method: 'POST', body: CUSTOMER }));
      expectAuthenticated(created, 201);
      expect(created.json()).toMatchObject({ kind: 'organization', name: 'Signed Family Clinic' });
    },
  );

  test('created is accepted up to exactly 300 s either side of the gateway clock', async () => {
    for (const offset of [-300, 300]) {
      const res = await deliver(platform.gatewayUrl, signed(hmac, { created: nowSeconds() + offset }));
      expectAuthenticated(res, 200);
    }
  });

  test('a signature built component by component with the full profile is served (the refusals below differ in one point)', async () => {
    const full = ['@method', '@authority', '@path', '@query'];
    expectAuthenticated(
      await deliver(platform.gatewayUrl, custom(hmac, { path: `${CUSTOMERS}?limit=5`, covered: full })),
      200,
    );
    expectAuthenticated(
      await deliver(
        platform.gatewayUrl,
        custom(ed25519, { method: 'POST', body: CUSTOMER, covered: [...full, 'content-digest'] }),
      ),
      201,
    );
  });

  test('every refused signature is the same 401, body and WWW-Authenticate, as a bad API key', async () => {
    const full = ['@method', '@authority', '@path', '@query'];
    const unknown: SignerKey = {
      keyId: platform.store.newId('sig'),
      algorithm: 'hmac-sha256',
      secret: hmac.secret!,
    };
    const cases: Record<string, () => Promise<Sent>> = {
      'an unknown API key': () =>
        send(new URL(CUSTOMERS, platform.gatewayUrl), {
          headers: { authorization: `Bearer ptc_test_${randomBytes(24).toString('hex')}` },
        }),
      'a replayed nonce': async () => {
        const once = signed(hmac);
        expectAuthenticated(await deliver(platform.gatewayUrl, once), 200);
        return deliver(platform.gatewayUrl, once);
      },
      'created 301 s ago': () => deliver(platform.gatewayUrl, signed(hmac, { created: nowSeconds() - 301 })),
      'created 301 s ahead': () =>
        deliver(platform.gatewayUrl, signed(ed25519, { created: nowSeconds() + 301 })),
      'a body changed after signing': () => {
        const request = signed(ed25519, { method: 'POST', body: CUSTOMER });
        return deliver(platform.gatewayUrl, { ...request, body: CUSTOMER.replace('Signed', 'Forged') });
      },
      'a POST body whose Content-Digest is sent but not covered': () =>
        deliver(platform.gatewayUrl, custom(hmac, { method: 'POST', body: CUSTOMER, covered: full })),
      'a POST body without any Content-Digest': () => {
        const request = signed(hmac, { method: 'POST' });
        return deliver(platform.gatewayUrl, {
          ...request,
          headers: { ...request.headers, ...JSON_TYPE },
          body: CUSTOMER,
        });
      },
      'a query the signature does not cover': () =>
        deliver(
          platform.gatewayUrl,
          custom(ed25519, { path: `${CUSTOMERS}?limit=5`, covered: ['@method', '@authority', '@path'] }),
        ),
      'an unknown keyid': () => deliver(platform.gatewayUrl, signed(unknown)),
      'alg ed25519 with the keyid of an HMAC key': () =>
        deliver(
          platform.gatewayUrl,
          custom(hmac, {
            covered: full,
            params: withParam(profileParams(hmac, nowSeconds()), 'alg', 'ed25519'),
          }),
        ),
      'alg hmac-sha256 with the keyid of an Ed25519 key': () => {
        const impostor: SignerKey = {
          keyId: ed25519.keyId,
          algorithm: 'hmac-sha256',
          secret: randomBytes(32),
        };
        return deliver(platform.gatewayUrl, custom(impostor, { covered: full }));
      },
      'an algorithm outside the allowlist': () =>
        deliver(
          platform.gatewayUrl,
          custom(hmac, {
            covered: full,
            params: withParam(profileParams(hmac, nowSeconds()), 'alg', 'rsa-pss-sha512'),
          }),
        ),
    };
    const answers: Record<string, unknown> = {};
    for (const [name, run] of Object.entries(cases)) {
      const res = await run();
      answers[name] = {
        status: res.status,
        contentType: res.headers['content-type'],
        challenge: res.headers['www-authenticate'],
        body: res.status === 401 ? problemShape(res) : res.text,
      };
    }
    const reference = answers['an unknown API key'] as { body: Record<string, unknown> };
    expect(reference.body).toMatchObject({ status: 401, code: 'unauthenticated', instance: CUSTOMERS });
    const expected = {
      status: 401,
      contentType: 'application/problem+json',
      challenge: INVALID_TOKEN_CHALLENGE,
      body: reference.body,
    };
    expect(answers).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, expected])));
  });

  test.each(['hmac-sha256', 'ed25519'] as const)(
    '%s: a revoked key is refused on its next request, even though the gateway had it cached',
    async (algorithm) => {
      const key =
        algorithm === 'hmac-sha256'
          ? await createHmacSigningKey(platform, caller)
          : await registerEd25519SigningKey(platform, caller);
      expectAuthenticated(await deliver(platform.gatewayUrl, signed(key)), 200);
      await revokeSigningKeyAsPortal(platform, caller, key.keyId);
      const refused = await deliver(platform.gatewayUrl, signed(key));
      expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, INVALID_TOKEN_CHALLENGE]);
    },
  );

  if (variant.redisUrl) {
    test('a nonce used at one gateway is refused at another sharing the Redis', async () => {
      const other = await platform.startAnotherGateway();
      const once = signed(hmac);
      expectAuthenticated(await deliver(platform.gatewayUrl, once), 200);
      expect((await deliver(other.url, once)).status).toBe(401);
      // The other gateway serves the same key otherwise: the refusal was the nonce.
      expectAuthenticated(await deliver(other.url, signed(hmac)), 200);
    });

    test('a revocation published by another process (the portal) reaches the gateway within 1 s', async () => {
      const portalBus = await redisInvalidationBus({
        url: platform.config.redisUrl!,
        prefix: platform.config.redisPrefix,
        logger: createLogger({ level: 'silent', name: 'e2e-portal' }),
      });
      try {
        const key = await createHmacSigningKey(platform, caller);
        expectAuthenticated(await deliver(platform.gatewayUrl, signed(key)), 200);
        await revokeSigningKeyAsPortal(platform, caller, key.keyId, portalBus);
        const { value, elapsedMs } = await eventually(
          'the revoked key refused',
          async () => {
            const status = (await deliver(platform.gatewayUrl, signed(key))).status;
            return { done: status === 401, value: status };
          },
          { timeoutMs: 1_000 },
        );
        expect(value).toBe(401);
        expect(elapsedMs).toBeLessThan(1_000);
      } finally {
        await portalBus.close();
      }
    });
  }
});

describeEachVariant(
  'golden vectors (specs/signatures/vectors.json) through the running gateway',
  (variant) => {
    // vectors.test.ts runs them through createSignatureVerifier with an in-memory key map; here they go over HTTP to
    // a gateway whose keys come from the store (the HMAC secret sealed, the Ed25519 key a registered JWK), with the
    // vectors' https authority as the gateway's public URL.
    const file = JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')) as ReturnType<typeof buildGoldenVectors>;
    let platform: TestPlatform;
    let clock: ManualClock;

    beforeAll(async () => {
      clock = manualClock(new Date(file.vectors[0]!.now * 1000));
      platform = await startTestPlatform({
        dialect: variant.dialect,
        clock,
        env: { PORTICO_GATEWAY_PUBLIC_URL: 'https://api.portico.example' },
        ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
      });
      const caller = await platform.partner();
      const hmacKey = file.keys['test-hmac'];
      await createHmacSigningKey(platform, caller, { keyId: hmacKey.keyid, secretText: hmacKey.secret });
      const edKey = file.keys['test-ed25519'];
      await registerEd25519SigningKey(platform, caller, {
        keyId: edKey.keyid,
        keyPair: {
          privateKey: createPrivateKey({ key: { ...edKey.privateKeyJwk }, format: 'jwk' }),
          publicKey: createPublicKey({ key: { ...edKey.publicKeyJwk }, format: 'jwk' }),
        },
      });
    });
    afterAll(() => platform?.stop());

    function sendVector(vector: (typeof file.vectors)[number]): Promise<Sent> {
      clock.set(new Date(vector.now * 1000));
      const url = new URL(vector.request.url);
      return deliver(platform.gatewayUrl, {
        method: vector.request.method,
        path: url.pathname + url.search,
        headers: vector.request.headers,
        ...(vector.request.body !== null ? { body: vector.request.body } : {}),
      });
    }

    test.each(file.vectors.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
      const res = await sendVector(vector);
      if (vector.expected.outcome === 'valid') {
        // Whatever the backend then says about the vector's made-up ids, the gateway let the caller in.
        expect(res.status).not.toBe(401);
        expect(res.headers['ratelimit-policy']).toBeDefined();
      } else {
        expect([res.status, res.headers['www-authenticate']]).toEqual([401, INVALID_TOKEN_CHALLENGE]);
        expect(problemShape(res)).toMatchObject({
          code: 'unauthenticated',
          instance: new URL(vector.request.url).pathname,
        });
      }
    });

    test('a valid vector sent again is refused (its nonce was spent)', async () => {
      const vector = file.vectors.find((v) => v.expected.outcome === 'valid')!;
      await sendVector(vector);
      expect((await sendVector(vector)).status).toBe(401);
    });
  },
);

function withParam(
  params: Array<[string, BareItem]>,
  name: string,
  value: string,
): Array<[string, BareItem]> {
  return params.map(([key, item]) => [key, key === name ? { type: 'string', value } : item]);
}
