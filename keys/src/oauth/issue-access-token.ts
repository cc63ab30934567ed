// issueAccessToken, the client-credentials grant (RFC 6749 §4.4) as the gateway's POST /oauth/token calls it:
// authenticate the client (one store read), grant scopes (requested ∩ client ∩ app ∩ plan), sign an RFC 9068
// access token with the current issuer key. Every failure is an outcome (data), never an exception.
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../../internal/src/clock';
import { ID_PATTERN, type IdGenerator } from '../../../internal/src/ids';
import { parseSecret } from '../domain/key-format';
import { formatScopeClaim } from '../domain/scopes';
import type { SecretRing } from '../domain/secret-ring';
import {
  ACCESS_TOKEN_TYP,
  APP_CLAIM,
  ENVIRONMENT_CLAIM,
  PARTNER_CLAIM,
  type AccessTokenClaims,
} from './claims';
import { authenticateClient, type OAuthClientRecord } from './client-authentication';
import type { IssuerAlgorithm, OAuthSettings } from './oauth-settings';
import type { TokenIssuance } from './token-outcomes';
import { grantScopes } from './token-scope';

export interface TokenRequest {
  /** From HTTP Basic (RFC 6749 §2.3.1) or the body; unknown, since the HTTP layer only parses. */
  readonly clientId: unknown;
  readonly clientSecret: unknown;
  /** The `scope` parameter, if any (RFC 6749 §4.4.2). */
  readonly requestedScope?: unknown;
}

export interface SigningKey {
  readonly kid: string;
  readonly algorithm: IssuerAlgorithm;
  readonly key: KeyObject;
}

export interface TokenIssuerDeps {
  /** keys/src/store/oauth-clients.ts findOAuthClientRecord, bound to the store. */
  findClient: (clientId: string) => Promise<OAuthClientRecord | undefined>;
  /** The current issuer key (issuer-key-lifecycle.ts signingKeySource). */
  signingKey: () => Promise<SigningKey>;
  peppers: SecretRing;
  clock: Clock;
  newId: IdGenerator;
  settings: Pick<OAuthSettings, 'issuer' | 'audience' | 'maxTokenLifetimeSeconds'>;
}

export type TokenIssuer = (request: TokenRequest) => Promise<TokenIssuance>;

const CLIENT_ID_PREFIX = 'oac_';

export function createTokenIssuer(deps: TokenIssuerDeps): TokenIssuer {
  return async function issueAccessToken({ clientId, clientSecret, requestedScope }) {
    // Format checks first: a guessed or mistyped id or secret never reaches the store.
    if (
      typeof clientId !== 'string' ||
      !clientId.startsWith(CLIENT_ID_PREFIX) ||
      !ID_PATTERN.test(clientId)
    ) {
      return { outcome: 'invalid_client', reason: 'malformed_client_id' };
    }
    if (typeof clientSecret !== 'string' || !parseSecret('oauth_client_secret', clientSecret).ok) {
      return { outcome: 'invalid_client', reason: 'malformed_secret' };
    }
    const now = deps.clock.now();
    const record = await deps.findClient(clientId);
    const auth = authenticateClient(record, clientSecret, deps.peppers, now);
    if (!auth.ok) return { outcome: 'invalid_client', reason: auth.reason };
    const client = record as OAuthClientRecord;

    const grant = grantScopes(requestedScope, {
      client: client.scopes,
      app: client.app.scopes,
      plan: client.plan.scopes,
    });
    if (!grant.ok) return { outcome: 'invalid_scope', reason: grant.reason, scopes: grant.scopes };

    const lifetime = Math.min(client.accessTokenTtlSeconds, deps.settings.maxTokenLifetimeSeconds);
    const iat = Math.floor(now.getTime() / 1000);
    const scope = formatScopeClaim(grant.scopes);
    const claims: AccessTokenClaims = {
      iss: deps.settings.issuer,
      aud: deps.settings.audience,
      sub: client.clientId,
      client_id: client.clientId,
      iat,
      nbf: iat,
      exp: iat + lifetime,
      jti: deps.newId('atk'),
      scope,
      [PARTNER_CLAIM]: client.partnerId,
      [APP_CLAIM]: client.appId,
      [ENVIRONMENT_CLAIM]: client.environment,
    };
    const signing = await deps.signingKey();
    // The times are in the claims, not in options (jsonwebtoken would read the wall clock for expiresIn).
    const accessToken = jwt.sign(claims, signing.key, {
      algorithm: signing.algorithm,
      header: { alg: signing.algorithm, typ: ACCESS_TOKEN_TYP, kid: signing.kid },
    });
    return {
      outcome: 'issued',
      response: { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope },
      token: {
        clientId: client.clientId,
        partnerId: client.partnerId,
        appId: client.appId,
        environment: client.environment,
        scopes: grant.scopes,
        tokenId: claims.jti,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        kid: signing.kid,
        planId: client.plan.id,
      },
      needsRedigest: auth.needsRedigest,
      matchedSecret: auth.matched,
    };
  };
}
