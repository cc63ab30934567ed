// What the management API calls to create an OAuth client or rotate its secret: the domain makes the secret
// (`pto_<env>_…`, 262 random bits, key-format.ts) and its keyed digest under the current pepper, the store keeps
// only the digest, and the full secret is returned once, to be shown once.
import type { Environment } from '../domain/environment';
import { storedDigest } from '../domain/key-digest';
import { generateOAuthClientSecret } from '../domain/key-format';
import type { SecretRing } from '../domain/secret-ring';
import type { Invalidation } from '../events/invalidation';
import { getApp } from '../store/apps';
import type { AuditContext } from '../store/audit-events';
import type { KeysStoreDeps, PartnerScope } from '../store/deps';
import {
  createOAuthClient,
  rotateOAuthClientSecret,
  type OAuthClient,
  type StoredClientSecret,
} from '../store/oauth-clients';

/** A fresh client secret for an app of `environment`, and what the store keeps of it. */
export function newClientSecret(
  peppers: SecretRing,
  environment: Environment,
): { clientSecret: string; stored: StoredClientSecret } {
  const generated = generateOAuthClientSecret(environment);
  return {
    clientSecret: generated.secret,
    stored: { ...storedDigest(peppers, generated.secret), environment, last4: generated.last4 },
  };
}

/**
 * createOAuthClient with a new secret: the platform spec's OAuthClientCreated. The app is read first for its
 * environment (which never changes; the store locks the app and checks everything again).
 */
export async function createOAuthClientWithSecret(
  deps: KeysStoreDeps,
  peppers: SecretRing,
  scope: PartnerScope,
  appId: string,
  input: { name: string; scopes?: string[]; accessTokenTtlSeconds?: number },
  context: AuditContext,
): Promise<{ oauthClient: OAuthClient; clientSecret: string }> {
  const app = await getApp(deps, scope, appId);
  const { clientSecret, stored } = newClientSecret(peppers, app.environment);
  const oauthClient = await createOAuthClient(deps, scope, appId, { ...input, secret: stored }, context);
  return { oauthClient, clientSecret };
}

/** rotateOAuthClientSecret with a new secret; publish the invalidation after it resolves. */
export async function rotateOAuthClientSecretWithNew(
  deps: KeysStoreDeps,
  peppers: SecretRing,
  scope: PartnerScope,
  appId: string,
  clientId: string,
  input: { overlapSeconds: number },
  context: AuditContext,
): Promise<{ oauthClient: OAuthClient; clientSecret: string; invalidation: Invalidation }> {
  const app = await getApp(deps, scope, appId);
  const { clientSecret, stored } = newClientSecret(peppers, app.environment);
  const rotated = await rotateOAuthClientSecret(
    deps,
    scope,
    appId,
    clientId,
    { secret: stored, overlapSeconds: input.overlapSeconds },
    context,
  );
  return { ...rotated, clientSecret };
}
