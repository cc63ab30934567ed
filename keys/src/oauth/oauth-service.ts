// The OAuth pieces wired to the store, as one object for the gateway (issue at /oauth/token, verify per request,
// publish /.well-known/jwks.json) and the operator (rotate the issuer key). Everything is passed in; each process
// makes one at start-up and closes it at shutdown.
import type { IdGenerator } from '../../../internal/src/ids';
import type { Clock } from '../../../internal/src/clock';
import type { SecretBoxRing } from '../domain/secret-box';
import type { SecretRing } from '../domain/secret-ring';
import type { InvalidationBus } from '../events/invalidation';
import type { KeysTables } from '../store/schema';
import type { Kysely } from 'kysely';
import { listPublishedIssuerKeys } from '../store/issuer-keys';
import { findOAuthClientRecord } from '../store/oauth-clients';
import { VerificationCache } from '../verify/verification-cache';
import { toClientStanding, type ClientStanding } from './client-authentication';
import { createTokenIssuer, type TokenIssuer } from './issue-access-token';
import {
  ensureIssuerKey,
  rotateIssuerKey,
  signingKeySource,
  type IssuerKeyRotation,
} from './issuer-key-lifecycle';
import type { PublicIssuerJwk } from './issuer-key-material';
import type { IssuerAlgorithm, OAuthSettings } from './oauth-settings';
import { PublishedKeySet } from './published-key-set';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './verify-access-token';

export interface OAuthServiceDeps {
  db: Kysely<KeysTables>;
  clock: Clock;
  newId: IdGenerator;
  peppers: SecretRing;
  secretBox: SecretBoxRing;
  bus: InvalidationBus;
  settings: OAuthSettings;
  /** The client-standing cache; defaults: 30 s, 2 s for unknown clients, 10,000 entries. */
  clientCache?: { ttlMs: number; negativeTtlMs: number; maxEntries: number };
  onKeyLoadError?: (error: unknown) => void;
}

export interface OAuthService {
  issueAccessToken: TokenIssuer;
  verifyAccessToken: AccessTokenVerifier;
  /** The public JWK Set, from memory (reloaded as PublishedKeySet describes). */
  currentJwks(): Promise<{ keys: PublicIssuerJwk[] }>;
  /** Makes the first issuer key if there is none; call at start-up. */
  ensureIssuerKey(): Promise<{ kid: string; created: boolean }>;
  /** Rotates and tells every process (through the bus) to reload the published keys. */
  rotateIssuerKey(options?: { algorithm?: IssuerAlgorithm; emergency?: boolean }): Promise<IssuerKeyRotation>;
  readonly keySet: PublishedKeySet;
  close(): void;
}

export function createOAuthService(deps: OAuthServiceDeps): OAuthService {
  const store = { db: deps.db, clock: deps.clock };
  const keySet = new PublishedKeySet({
    load: (now) => listPublishedIssuerKeys(store, now),
    clock: deps.clock,
    settings: deps.settings,
    ...(deps.onKeyLoadError ? { onLoadError: deps.onKeyLoadError } : {}),
  }).attach(deps.bus);
  const cache = new VerificationCache<ClientStanding | null>({
    clock: deps.clock,
    ...(deps.clientCache ?? { ttlMs: 30_000, negativeTtlMs: 2_000, maxEntries: 10_000 }),
  }).attach(deps.bus);
  const issueAccessToken = createTokenIssuer({
    findClient: (clientId) => findOAuthClientRecord(store, clientId),
    signingKey: signingKeySource(store, deps.secretBox, deps.settings),
    peppers: deps.peppers,
    clock: deps.clock,
    newId: deps.newId,
    settings: deps.settings,
  });
  const verifyAccessToken = createAccessTokenVerifier({
    keys: keySet,
    findClient: async (clientId) => {
      const record = await findOAuthClientRecord(store, clientId);
      return record && toClientStanding(record);
    },
    cache,
    clock: deps.clock,
    settings: deps.settings,
  });
  return {
    issueAccessToken,
    verifyAccessToken,
    currentJwks: () => keySet.jwks(),
    ensureIssuerKey: () => ensureIssuerKey(store, deps.secretBox, deps.settings),
    async rotateIssuerKey(options) {
      const rotation = await rotateIssuerKey(store, deps.secretBox, deps.settings, options);
      await deps.bus.publish(rotation.invalidation);
      return rotation;
    },
    keySet,
    close() {
      keySet.close();
      cache.close();
    },
  };
}
