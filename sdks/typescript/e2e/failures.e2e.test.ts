// How the running platform's refusals reach an integrator through the SDK: errors as values with the problem's
// status, code and request id (or an OAuthError from the token endpoint), never retried when repeating cannot help,
// and thrown by unwrap — for a revoked key, a missing scope, an invalid body, a wrong OAuth secret and a revoked
// signing key, each revoked through the management API as a partner would.
import { generateKeyPairSync } from 'node:crypto';
import {
  createPortico,
  OAuthError,
  ProblemError,
  unwrap,
  type PorticoError,
  type Result,
  type SigningKey,
} from '@portico/sdk';
import { eventually } from '../../../gateway/src/e2e/testing/eventually';
import { onboardPartner, type OnboardedPartner } from './testing/onboard-partner';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

/**
 * Revocation reaches every gateway within a second (specs/platform); on Redis it crosses the bus first. Not a
 * performance bound: only how long to keep asking before reporting that it never arrived.
 */
const REVOCATION_DEADLINE_MS = 15_000;

describeEachVariant('SDK errors from the running platform', (variant) => {
  let running: RunningPlatform;
  let partner: OnboardedPartner;
  const appPath = () => ({ params: { path: { appId: partner.app.id } } });

  beforeAll(async () => {
    running = await startPlatform(variant);
    partner = await onboardPartner(running.portalUrl, 'Refusal Pharmacy');
  });
  afterAll(() => running?.stop());

  /** Calls until the answer is not a 2xx (a revocation on its way through Redis); returns that answer. */
  async function firstRefusal(call: () => Promise<Result<unknown>>): Promise<Result<unknown>> {
    const { value } = await eventually(
      'the revoked credential is refused',
      async () => {
        const result = await call();
        return { done: result.error !== undefined, value: result };
      },
      { timeoutMs: REVOCATION_DEADLINE_MS },
    );
    return value;
  }

  function expectUnauthenticated(result: Result<unknown>): void {
    const error = result.error as PorticoError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated', attempts: 1 });
    expect(error.requestId).toMatch(/^req_/);
    expect(error.requestId).toBe(result.response?.headers.get('x-request-id'));
  }

  test('a key revoked through the management API: ProblemError 401 unauthenticated with the request id', async () => {
    const created = await unwrap(
      partner.platform.createApiKey({ ...appPath(), body: { name: 'to revoke' } }),
    );
    const portico = createPortico({ baseUrl: running.gatewayUrl, apiKey: created.key });
    // Used once first, so that the gateway has it cached when it is revoked.
    expect((await portico.crm.listCustomers()).response?.status).toBe(200);

    const revoked = await unwrap(
      partner.platform.revokeApiKey({
        params: { path: { appId: partner.app.id, apiKeyId: created.apiKey.id } },
      }),
    );
    expect(revoked.status).toBe('revoked');

    const refused = await firstRefusal(() => portico.crm.listCustomers());
    expectUnauthenticated(refused);
    await expect(unwrap(portico.crm.listCustomers())).rejects.toMatchObject({
      name: 'ProblemError',
      status: 401,
      code: 'unauthenticated',
    });
  });

  test('a key without the operation scope: 403 insufficient_scope, while its own scope still works', async () => {
    const created = await unwrap(
      partner.platform.createApiKey({ ...appPath(), body: { name: 'read only', scopes: ['crm:read'] } }),
    );
    const portico = createPortico({ baseUrl: running.gatewayUrl, apiKey: created.key });
    expect((await portico.crm.listCustomers()).response?.status).toBe(200);

    const result = await portico.crm.createCustomer({ body: { kind: 'person', name: 'Not allowed' } });
    expect(result.error).toBeInstanceOf(ProblemError);
    expect(result.error).toMatchObject({ status: 403, code: 'insufficient_scope', attempts: 1 });
    expect(result.error!.requestId).toMatch(/^req_/);
  });

  test('an invalid body: 400 validation_failed with one error per offending member, not retried', async () => {
    const portico = createPortico({ baseUrl: running.gatewayUrl, apiKey: partner.credentials.apiKey });
    // The SDK's types refuse this body; an integrator in plain JavaScript could still send it.
    const body = { kind: 'alien', name: '' } as unknown as { kind: 'person'; name: string };
    const result = await portico.crm.createCustomer({ body });
    const error = result.error as ProblemError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', attempts: 1 });
    expect(error.problem?.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/kind' }),
        expect.objectContaining({ pointer: '/name' }),
      ]),
    );
    expect(error.requestId).toMatch(/^req_/);
  });

  test('an OAuth client with a wrong secret: OAuthError invalid_client, from the call and from accessToken()', async () => {
    const portico = createPortico({
      baseUrl: running.gatewayUrl,
      oauth: {
        clientId: partner.credentials.oauth.clientId,
        clientSecret: `${partner.credentials.oauth.clientSecret}x`,
      },
    });
    const result = await portico.crm.listCustomers();
    expect(result.error).toBeInstanceOf(OAuthError);
    expect(result.error).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(result.response).toBeUndefined();
    await expect(portico.accessToken()).rejects.toBeInstanceOf(OAuthError);
  });

  test.each(['hmac-sha256', 'ed25519'] as const)(
    'a signing key (%s) revoked through the management API: its signatures get 401 unauthenticated',
    async (algorithm) => {
      const signing = await newSigningKey(algorithm);
      const portico = createPortico({ baseUrl: running.gatewayUrl, signing });
      expect((await portico.crm.listCustomers()).response?.status).toBe(200);

      const revoked = await unwrap(
        partner.platform.revokeSigningKey({
          params: { path: { appId: partner.app.id, signingKeyId: signing.keyId } },
        }),
      );
      expect(revoked.status).toBe('revoked');

      expectUnauthenticated(await firstRefusal(() => portico.crm.listCustomers()));
      // A POST too: a fresh nonce and a body digest do not make a revoked key valid again.
      expectUnauthenticated(
        await portico.crm.createCustomer({ body: { kind: 'person', name: 'Signed after revocation' } }),
      );
    },
  );

  async function newSigningKey(algorithm: 'hmac-sha256' | 'ed25519'): Promise<SigningKey> {
    if (algorithm === 'hmac-sha256') {
      const created = await unwrap(
        partner.platform.createSigningKey({
          ...appPath(),
          body: { algorithm, name: 'to revoke' },
        }),
      );
      return { keyId: created.signingKey.id, algorithm, secret: created.secret! };
    }
    const pair = generateKeyPairSync('ed25519');
    const publicJwk = pair.publicKey.export({ format: 'jwk' });
    const privateJwk = pair.privateKey.export({ format: 'jwk' });
    const created = await unwrap(
      partner.platform.createSigningKey({
        ...appPath(),
        body: {
          algorithm,
          name: 'to revoke',
          publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x! },
        },
      }),
    );
    return {
      keyId: created.signingKey.id,
      algorithm,
      privateKey: { kty: 'OKP', crv: 'Ed25519', d: privateJwk.d!, x: privateJwk.x! },
    };
  }
});
