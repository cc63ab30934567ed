// Who is calling through the gateway once authentication succeeded: the credential, its app and partner, the world
// (test or live), the effective scopes and the plan. The same shape whatever the scheme, so that scopes, limits,
// metering and the identity assertion never care how the caller proved itself.
import type { Environment } from '../../../../keys/src/domain/environment';

export type AuthScheme = 'apiKey' | 'oauth2' | 'signature';

export interface GatewayCaller {
  scheme: AuthScheme;
  /** The API key id (`key_…`), OAuth client id or signing key id: what usage and logs are attributed to. */
  credentialId: string;
  appId: string;
  partnerId: string;
  environment: Environment;
  scopes: readonly string[];
  planId: string;
}

/** A verified credential's record (API key or signing key: both carry these fields) as the caller it proves. */
export function callerOf(
  scheme: AuthScheme,
  key: {
    keyId: string;
    appId: string;
    partnerId: string;
    environment: Environment;
    scopes: readonly string[];
    planId: string;
  },
): GatewayCaller {
  return {
    scheme,
    credentialId: key.keyId,
    appId: key.appId,
    partnerId: key.partnerId,
    environment: key.environment,
    scopes: key.scopes,
    planId: key.planId,
  };
}
