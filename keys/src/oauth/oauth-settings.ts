// The settings of the OAuth token issuer and verifier (RFC 6749 §4.4, RFC 9068), with their defaults in one place.
// The gateway builds them from its configuration; tests pass their own. Nothing here reads the environment.

export type IssuerAlgorithm = 'ES256' | 'RS256';

/** The only algorithms a token may be signed or verified with; `none` and every HMAC algorithm are absent. */
export const ISSUER_ALGORITHMS: readonly IssuerAlgorithm[] = Object.freeze(['ES256', 'RS256']);

export interface OAuthSettings {
  /** The `iss` of every token (the gateway's public base URL); verification requires it exactly. */
  readonly issuer: string;
  /** The `aud` of every token (RFC 9068 §3: the resource server, i.e. the gateway's public APIs). */
  readonly audience: string;
  /** The algorithm of new issuer keys: ES256 (P-256, small and fast to sign) unless RS256 is asked for. */
  readonly algorithm: IssuerAlgorithm;
  /**
   * The longest lifetime a token may get, whatever its client asks (the platform spec's AccessTokenTtlSeconds
   * maximum). A retiring issuer key stays published for this long (+ leeway) after it stops signing.
   */
  readonly maxTokenLifetimeSeconds: number;
  /** Clock skew tolerated on `exp` and `nbf` between the issuer and the verifier. */
  readonly clockLeewaySeconds: number;
  /** An unknown `kid` reloads the published keys at most once per this interval (a flood of forged kids cannot). */
  readonly unknownKidRefreshSeconds: number;
  /** The published keys are reloaded at least this often, so a retired key drops out even without an event. */
  readonly keySetMaxAgeSeconds: number;
}

export const DEFAULT_OAUTH_SETTINGS = Object.freeze({
  algorithm: 'ES256',
  maxTokenLifetimeSeconds: 3600,
  clockLeewaySeconds: 30,
  unknownKidRefreshSeconds: 10,
  keySetMaxAgeSeconds: 300,
} satisfies Omit<OAuthSettings, 'issuer' | 'audience'>);

/** Fills in the defaults and checks the numbers (a configuration error, found at start-up, throws). */
export function oauthSettings(
  given: Pick<OAuthSettings, 'issuer' | 'audience'> & Partial<OAuthSettings>,
): OAuthSettings {
  const settings: OAuthSettings = { ...DEFAULT_OAUTH_SETTINGS, ...given };
  if (settings.issuer === '' || settings.audience === '')
    throw new Error('oauth: issuer and audience are required');
  if (!ISSUER_ALGORITHMS.includes(settings.algorithm)) {
    throw new Error(`oauth: algorithm must be one of ${ISSUER_ALGORITHMS.join(', ')}`);
  }
  for (const name of [
    'maxTokenLifetimeSeconds',
    'clockLeewaySeconds',
    'unknownKidRefreshSeconds',
    'keySetMaxAgeSeconds',
  ] as const) {
    if (!Number.isInteger(settings[name]) || settings[name] < 0) {
      throw new Error(`oauth: ${name} must be a non-negative integer`);
    }
  }
  if (settings.maxTokenLifetimeSeconds < 60)
    throw new Error('oauth: maxTokenLifetimeSeconds must be at least 60');
  // More than a few minutes of leeway would make `exp` meaningless for short-lived tokens.
  if (settings.clockLeewaySeconds > 300) throw new Error('oauth: clockLeewaySeconds must be at most 300');
  return Object.freeze(settings);
}

/**
 * How long a key that stops signing now must stay published: every token it signed expires within the maximum
 * lifetime, and verifiers accept it for the leeway after that.
 */
export function retiringPublishSeconds(
  settings: Pick<OAuthSettings, 'maxTokenLifetimeSeconds' | 'clockLeewaySeconds'>,
): number {
  return settings.maxTokenLifetimeSeconds + settings.clockLeewaySeconds;
}
