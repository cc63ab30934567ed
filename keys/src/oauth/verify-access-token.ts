// verifyAccessToken, as the gateway's authenticate policy calls it in-process for `Authorization: Bearer <jwt>`:
// pinned algorithms (ES256, RS256 — never `none` or HMAC, whatever the header says), the key named by `kid` from the
// in-process published key set, issuer, audience, `typ: at+jwt` (RFC 9068 §4), exp/nbf with a small leeway; then
// the client behind the token must still stand (not deleted, app active, partner not suspended), read through a
// verification cache that a delete invalidates at once — so a deleted client's tokens stop working before they
// expire. Outcomes are data (token-outcomes.ts).
import jwt from 'jsonwebtoken';
import type { Clock } from '../../../internal/src/clock';
import { intersectScopes, parseScopeClaim, PUBLIC_SCOPES, type PublicScope } from '../domain/scopes';
import type { VerificationCache } from '../verify/verification-cache';
import {
  ACCESS_TOKEN_TYP,
  APP_CLAIM,
  ENVIRONMENT_CLAIM,
  PARTNER_CLAIM,
  readAccessTokenClaims,
} from './claims';
import { clientStandingFailure, type ClientStanding } from './client-authentication';
import { ISSUER_ALGORITHMS, type IssuerAlgorithm, type OAuthSettings } from './oauth-settings';
import type { PublishedKeySet } from './published-key-set';
import { tokenFailure, type AccessTokenVerification, type TokenFailure } from './token-outcomes';

export interface AccessTokenVerifierDeps {
  keys: PublishedKeySet;
  /** The client's standing by id (findOAuthClientRecord without its digests), on a cache miss only. */
  findClient: (clientId: string) => Promise<ClientStanding | undefined>;
  /** Keyed by client id; null caches "no such client" for the cache's short negative TTL. */
  cache: VerificationCache<ClientStanding | null>;
  clock: Clock;
  settings: Pick<OAuthSettings, 'issuer' | 'audience' | 'clockLeewaySeconds'>;
}

export type AccessTokenVerifier = (presented: unknown) => Promise<AccessTokenVerification>;

/** Far above any token Portico issues (~800 bytes); refuses giant inputs before any parsing. */
const MAX_TOKEN_LENGTH = 4096;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function createAccessTokenVerifier(deps: AccessTokenVerifierDeps): AccessTokenVerifier {
  const inFlight = new Map<string, Promise<ClientStanding | null>>();
  const standingOf = (clientId: string): Promise<ClientStanding | null> => {
    const cached = deps.cache.get(clientId);
    if (cached !== undefined) return Promise.resolve(cached);
    let pending = inFlight.get(clientId);
    if (!pending) {
      pending = deps
        .findClient(clientId)
        .then((found) => {
          deps.cache.set(clientId, found ?? null, found ? clientId : undefined);
          return found ?? null;
        })
        .finally(() => inFlight.delete(clientId));
      inFlight.set(clientId, pending);
    }
    return pending;
  };

  return async function verifyAccessToken(presented) {
    if (typeof presented !== 'string' || presented.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(presented)) {
      return tokenFailure('malformed');
    }
    const header = decodeHeader(presented);
    if (header === null) return tokenFailure('malformed');
    const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
    if (typ !== ACCESS_TOKEN_TYP && typ !== `application/${ACCESS_TOKEN_TYP}`)
      return tokenFailure('wrong_type');
    // The allowlist is ours: the header only chooses among ES256 and RS256, and must match its key's algorithm.
    if (!ISSUER_ALGORITHMS.includes(header.alg as IssuerAlgorithm))
      return tokenFailure('algorithm_not_allowed');
    if (typeof header.kid !== 'string' || header.kid === '') return tokenFailure('unknown_key');
    const key = await deps.keys.keyFor(header.kid);
    if (key === undefined) return tokenFailure('unknown_key');
    if (key.algorithm !== header.alg) return tokenFailure('algorithm_not_allowed');

    const now = deps.clock.now();
    let payload: unknown;
    try {
      payload = jwt.verify(presented, key.key, {
        algorithms: [key.algorithm],
        issuer: deps.settings.issuer,
        audience: deps.settings.audience,
        clockTolerance: deps.settings.clockLeewaySeconds,
        clockTimestamp: Math.floor(now.getTime() / 1000),
      });
    } catch (error) {
      return tokenFailure(failureOf(error));
    }
    const claims = readAccessTokenClaims(payload);
    if (claims === null) return tokenFailure('missing_claims');

    const standing = await standingOf(claims.client_id);
    if (standing === null) return tokenFailure('client_not_found');
    if (
      standing.partnerId !== claims[PARTNER_CLAIM] ||
      standing.appId !== claims[APP_CLAIM] ||
      standing.environment !== claims[ENVIRONMENT_CLAIM]
    ) {
      return tokenFailure('client_mismatch');
    }
    const failure = clientStandingFailure(standing);
    if (failure !== null) return tokenFailure(failure === 'app_deleted' ? 'client_not_found' : failure);
    return {
      outcome: 'valid',
      token: {
        clientId: standing.clientId,
        partnerId: standing.partnerId,
        appId: standing.appId,
        environment: standing.environment,
        // What the token says, narrowed by what the client holds now: an app or plan narrowed since issuance
        // narrows its live tokens too.
        scopes: intersectScopes<PublicScope>(
          [...PUBLIC_SCOPES],
          parseScopeClaim(claims.scope),
          standing.scopes,
          standing.app.scopes,
          standing.plan.scopes,
        ),
        tokenId: claims.jti,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
        planId: standing.plan.id,
      },
    };
  };
}

function decodeHeader(token: string): Record<string, unknown> | null {
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
    );
    return typeof header === 'object' && header !== null && !Array.isArray(header)
      ? (header as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** jsonwebtoken's errors by name and message (stable across its 9.x releases). */
function failureOf(error: unknown): TokenFailure {
  const { name, message } = error as { name?: string; message?: string };
  if (name === 'TokenExpiredError') return 'expired';
  if (name === 'NotBeforeError') return 'not_yet_valid';
  const text = message ?? '';
  if (text === 'invalid signature') return 'bad_signature';
  if (text.startsWith('jwt audience invalid')) return 'wrong_audience';
  if (text.startsWith('jwt issuer invalid')) return 'wrong_issuer';
  if (text === 'invalid algorithm') return 'algorithm_not_allowed';
  if (text === 'invalid exp value' || text === 'invalid nbf value') return 'missing_claims';
  return 'malformed';
}
