// OAuth 2.0 client credentials (RFC 6749 §4.4) as a credential: one token request for many calls, the token
// cached and refreshed before it expires, concurrent calls sharing one refresh, and a 401 answered by one refresh.
import { abortable } from '../abortable';
import { OAuthError, ProblemError } from '../errors';
import { base64, utf8 } from '../signing/encoding';
import type { Transport } from '../transport';
import type { Authenticator } from './authenticator';

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for; by default the token carries every scope of the app. */
  scopes?: readonly string[];
  /** The token endpoint; default: `/oauth/token` at the gateway's origin. */
  tokenUrl?: string;
}

export interface OAuthAuthenticator extends Authenticator {
  /** A valid access token, fetched or refreshed as needed. */
  accessToken(signal?: AbortSignal): Promise<string>;
}

interface CachedToken {
  value: string;
  expiresAtMs: number;
  refreshAtMs: number;
}

/** Refresh this long before expiry: 60 s, or half the lifetime of a short-lived token. */
const REFRESH_MARGIN_MS = 60_000;

export function oauthAuthenticator(
  credentials: OAuthClientCredentials,
  transport: Transport,
  tokenUrl: URL,
  options: { now?: () => number; sameOrigin?: boolean } = {},
): OAuthAuthenticator {
  const now = options.now ?? Date.now;
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  // RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded for Basic.
  const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  const basic = `Basic ${base64(utf8(`${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`))}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (credentials.scopes?.length) form.set('scope', credentials.scopes.join(' '));
  const body = utf8(form.toString());

  async function requestToken(): Promise<CachedToken> {
    const requestedAt = now();
    const result = await transport.send({
      method: 'POST',
      url: tokenUrl,
      headers: { authorization: basic, accept: 'application/json' },
      body,
      contentType: 'application/x-www-form-urlencoded',
      ...(options.sameOrigin === false ? { withoutClientHeaders: true } : {}),
      // Asking for a token has no effect to undo: repeating it is safe.
      repeatable: true,
    });
    if (result.error) throw asOAuthError(result.error);
    // `?? {}`: a 200 without a body is an invalid response too, not a TypeError.
    const token = (result.data ?? {}) as {
      access_token?: unknown;
      token_type?: unknown;
      expires_in?: unknown;
    };
    const expiresIn = lifetimeSeconds(token.expires_in);
    if (
      typeof token.access_token !== 'string' ||
      typeof token.token_type !== 'string' ||
      token.token_type.toLowerCase() !== 'bearer' ||
      expiresIn === undefined
    ) {
      throw new OAuthError({
        status: result.response.status,
        error: 'invalid_response',
        description:
          'The token endpoint answered without a bearer access_token (or with an unreadable expires_in).',
        attempts: 1,
      });
    }
    const lifetimeMs = expiresIn * 1000;
    return {
      value: token.access_token,
      // Counted from the request, not the answer: the token's clock started when the server issued it.
      expiresAtMs: requestedAt + lifetimeMs,
      refreshAtMs: requestedAt + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
  }

  async function accessToken(signal?: AbortSignal): Promise<string> {
    if (cached && now() < cached.refreshAtMs) return cached.value;
    pending ??= requestToken().finally(() => (pending = undefined));
    try {
      cached = await abortable(pending, signal);
    } catch (error) {
      // A refresh that fails while the old token is still valid is not a reason to fail the call.
      if (cached && now() < cached.expiresAtMs && !signal?.aborted) return cached.value;
      throw error;
    }
    return cached.value;
  }

  return {
    accessToken,
    async authenticate(request) {
      request.headers.set('authorization', `Bearer ${await accessToken(request.signal)}`);
    },
    refresh({ headers }) {
      const sent = headers.get('authorization');
      if (sent === null) return false;
      // Only the refused token is dropped: with concurrent calls, another may already have replaced it, and each
      // refused call then retries with that new token instead of failing or asking for yet another.
      if (cached && sent === `Bearer ${cached.value}`) cached = undefined;
      return true;
    },
  };
}

/**
 * RFC 6749 §5.1: expires_in is RECOMMENDED, not required; without it, assume a short life and let a 401 renew
 * the token early. Some servers send it as a numeric string.
 */
const DEFAULT_LIFETIME_SECONDS = 300;
function lifetimeSeconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return DEFAULT_LIFETIME_SECONDS;
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The token endpoint answers RFC 6749 §5.2 errors as JSON `{ error, error_description }`. */
function asOAuthError(error: Error): Error {
  // 400 and 401 are the token endpoint's refusals (RFC 6749 §5.2); a 429 or a 5xx stays what it is, with its
  // Retry-After, because the client's credentials are not the problem.
  if (!(error instanceof ProblemError) || (error.status !== 400 && error.status !== 401)) return error;
  let parsed: { error?: unknown; error_description?: unknown } = {};
  try {
    parsed = JSON.parse(error.body ?? '') as typeof parsed;
  } catch {
    // not JSON: keep the defaults below
  }
  return new OAuthError({
    status: error.status,
    error: typeof parsed.error === 'string' ? parsed.error : (error.code ?? 'invalid_request'),
    ...(typeof parsed.error_description === 'string'
      ? { description: parsed.error_description }
      : error.problem
        ? { description: error.problem.detail }
        : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
    attempts: error.attempts,
  });
}
