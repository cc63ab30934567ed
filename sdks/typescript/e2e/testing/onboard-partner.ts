// A partner onboarded the way an integrator does it, through the SDK's management-API client only: sign up, read
// the plan a new partner is on, create a test app with the plan's scopes, then one credential of each kind — an API
// key, an OAuth client, an HMAC signing key and a registered Ed25519 public key whose private half stays here.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createPlatform,
  createPortico,
  unwrap,
  type ClientOptions,
  type Platform,
  type Portico,
  type SigningKey,
  type platform,
} from '@portico/sdk';

type Schemas = platform.components['schemas'];

export interface OnboardedPartner {
  /** The signed-in owner's client (session cookie and CSRF token kept by the SDK). */
  platform: Platform;
  session: Schemas['Session'];
  plan: Schemas['Plan'];
  app: Schemas['App'];
  apiKey: Schemas['ApiKeyCreated'];
  oauthClient: Schemas['OAuthClientCreated'];
  hmacKey: Schemas['SigningKeyCreated'];
  ed25519Key: Schemas['SigningKeyCreated'];
  /** What createPortico takes for each credential. */
  credentials: {
    apiKey: string;
    oauth: { clientId: string; clientSecret: string };
    hmac: SigningKey;
    ed25519: SigningKey;
  };
}

export async function onboardPartner(portalUrl: string, partnerName: string): Promise<OnboardedPartner> {
  const platform = createPlatform({ baseUrl: portalUrl });
  const tag = randomBytes(4).toString('hex');
  const session = await unwrap(
    platform.signUp({
      body: {
        partnerName,
        name: 'Li Wei',
        email: `li.wei+${tag}@jade.example`,
        password: `e2e passphrase ${randomBytes(12).toString('base64url')}`,
      },
    }),
  );
  // An app's scopes must be within the plan's: ask which plan a new partner is on instead of assuming.
  const plan = await unwrap(platform.getPlan({ params: { path: { planId: session.partner.planId } } }));
  const app = await unwrap(
    platform.createApp({ body: { name: `SDK e2e ${tag}`, environment: 'test', scopes: plan.scopes } }),
  );
  const appPath = { params: { path: { appId: app.id } } };
  const apiKey = await unwrap(platform.createApiKey({ ...appPath, body: { name: 'e2e key' } }));
  const oauthClient = await unwrap(platform.createOAuthClient({ ...appPath, body: { name: 'e2e client' } }));
  const hmacKey = await unwrap(
    platform.createSigningKey({
      ...appPath,
      body: { algorithm: 'hmac-sha256', name: 'e2e hmac' },
    }),
  );
  const pair = generateKeyPairSync('ed25519');
  const { kty, crv, x } = pair.publicKey.export({ format: 'jwk' });
  const ed25519Key = await unwrap(
    platform.createSigningKey({
      ...appPath,
      body: {
        algorithm: 'ed25519',
        name: 'e2e ed25519',
        publicKeyJwk: { kty: kty as 'OKP', crv: crv as 'Ed25519', x: x! },
      },
    }),
  );
  const privateJwk = pair.privateKey.export({ format: 'jwk' });
  return {
    platform,
    session,
    plan,
    app,
    apiKey,
    oauthClient,
    hmacKey,
    ed25519Key,
    credentials: {
      apiKey: apiKey.key,
      oauth: { clientId: oauthClient.oauthClient.id, clientSecret: oauthClient.clientSecret },
      hmac: { keyId: hmacKey.signingKey.id, algorithm: 'hmac-sha256', secret: hmacKey.secret! },
      ed25519: {
        keyId: ed25519Key.signingKey.id,
        algorithm: 'ed25519',
        privateKey: { kty: 'OKP', crv: 'Ed25519', d: privateJwk.d!, x: privateJwk.x! },
      },
    },
  };
}

export type CredentialKind = 'apiKey' | 'oauth' | 'hmac' | 'ed25519';
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['apiKey', 'oauth', 'hmac', 'ed25519'];

/** A client of the public APIs that authenticates with one of the partner's credentials. */
export function porticoWith(
  partner: OnboardedPartner,
  kind: CredentialKind,
  options: ClientOptions & { baseUrl: string },
): Portico {
  const { credentials } = partner;
  switch (kind) {
    case 'apiKey':
      return createPortico({ ...options, apiKey: credentials.apiKey });
    case 'oauth':
      return createPortico({ ...options, oauth: credentials.oauth });
    case 'hmac':
      return createPortico({ ...options, signing: credentials.hmac });
    case 'ed25519':
      return createPortico({ ...options, signing: credentials.ed25519 });
  }
}
