// OAuth clients made in the store as the portal's create-oauth-client.ts makes them, a client-credentials token
// fetched over HTTP as a partner fetches it, and the gateway's current issuer key (for tests that forge tokens
// which differ from a genuine one in a single claim).
import { createPepperRing } from '../../../../keys/src/domain/key-digest';
import { createSecretBoxRing } from '../../../../keys/src/domain/secret-box';
import { signingKeySource } from '../../../../keys/src/oauth/issuer-key-lifecycle';
import type { SigningKey } from '../../../../keys/src/oauth/issue-access-token';
import { createOAuthClientWithSecret } from '../../../../keys/src/oauth/oauth-client-secrets';
import { SYSTEM_CONTEXT } from '../../../../keys/src/store/audit-events';
import type { TestCredential, TestPlatform } from '../../testing/test-platform';
import { send, type Sent } from './http-send';

export interface TestOAuthClient {
  clientId: string;
  clientSecret: string;
}

/** A client of the credential's app holding `scopes` (default: the app's). */
export async function createOAuthClientAsPortal(
  platform: TestPlatform,
  credential: TestCredential,
  options: { scopes?: string[] } = {},
): Promise<TestOAuthClient> {
  const created = await createOAuthClientWithSecret(
    platform.store,
    createPepperRing(platform.controlPlane.secrets.keyPeppers),
    { partnerId: credential.partnerId },
    credential.appId,
    { name: 'e2e client', ...(options.scopes ? { scopes: options.scopes } : {}) },
    SYSTEM_CONTEXT,
  );
  return { clientId: created.oauthClient.id, clientSecret: created.clientSecret };
}

/** RFC 6749 §2.3.1 and Appendix B: each part form-urlencoded, then `id:secret` in base64. */
export function basicAuthorization(client: TestOAuthClient): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/** POST /oauth/token, client credentials with HTTP Basic (RFC 6749 §4.4.2), optionally asking for `scope`. */
export function requestToken(platform: TestPlatform, client: TestOAuthClient, scope?: string): Promise<Sent> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  return send(new URL('/oauth/token', platform.gatewayUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(client),
    },
    body: form.toString(),
  });
}

/** The private issuer key the gateway signs tokens with now, opened from the store as the gateway opens it. */
export function currentIssuerKey(platform: TestPlatform): Promise<SigningKey> {
  return signingKeySource(
    { db: platform.store.db, clock: platform.store.clock },
    createSecretBoxRing(platform.controlPlane.secrets.secretKeys),
    { algorithm: 'ES256' },
  )();
}
