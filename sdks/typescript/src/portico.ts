// The entry points: `createPortico` for the public APIs behind the gateway (crm, orders, entitlements — one
// client, one credential, one namespace per API) and `createPlatform` for the management API of the portal.
import type { Authenticator } from './auth/authenticator';
import { oauthAuthenticator, type OAuthClientCredentials } from './auth/oauth-client-credentials';
import { requestSigningAuthenticator, type RequestSigningOptions } from './auth/request-signing';
import { sessionAuthenticator, type SessionMode } from './auth/session';
import { apiKeyAuthenticator, bearerAuthenticator } from './auth/static-credentials';
import { createApiClient, type ApiClient } from './api-client';
import { crmApi, entitlementsApi, ordersApi, platformApi } from './generated/apis';
import type * as crm from './generated/crm';
import type * as entitlements from './generated/entitlements';
import type * as orders from './generated/orders';
import type * as platform from './generated/platform';
import { DEFAULT_RETRY, mergeRetryOptions } from './retry-policy';
import type { SigningKey } from './signing/sign-request';
import { createTransport, type FetchLike, type Transport } from './transport';
import type { RetryOptions } from './types';
import { SDK_VERSION } from './version';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  /** The fetch to use (default: the global one). Tests inject one; so can proxies, tracing or custom agents. */
  fetch?: FetchLike;
  /** Default budget of a call, retries and waits included (default 30 s). */
  timeoutMs?: number;
  /** Default retry settings (default: 2 retries, 250 ms base, 8 s cap). */
  retry?: Partial<RetryOptions>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * The clock, in milliseconds since the epoch (default Date.now), for token lifetimes and signatures' `created`.
   * A signing client also corrects its clock from the gateway's Date header when it is off by more than 30 s.
   */
  now?: () => number;
}

/** Exactly one credential: the types refuse none or two, and so does createPortico for JavaScript callers. */
export type PorticoCredential =
  | {
      /** An API key (`ptc_test_…` or `ptc_live_…`), sent as X-API-Key. */
      apiKey: string;
      oauth?: never;
      signing?: never;
    }
  | {
      /** OAuth client credentials, exchanged at the gateway's token endpoint for short-lived access tokens. */
      oauth: OAuthClientCredentials;
      apiKey?: never;
      signing?: never;
    }
  | {
      /** A signing key: every request is signed (RFC 9421) instead of carrying a secret. */
      signing: SigningKey & RequestSigningOptions;
      apiKey?: never;
      oauth?: never;
    };

export type PorticoOptions = ClientOptions & {
  /** The gateway's URL (default http://127.0.0.1:8080, as `npm start` runs it). */
  baseUrl?: string;
} & PorticoCredential;

export interface Portico {
  crm: ApiClient<crm.paths, crm.operations>;
  orders: ApiClient<orders.paths, orders.operations>;
  entitlements: ApiClient<entitlements.paths, entitlements.operations>;
  /** With `oauth`: the current access token (fetched or refreshed as needed), e.g. for another HTTP client. */
  accessToken(signal?: AbortSignal): Promise<string>;
}

export function createPortico(options: PorticoOptions): Portico {
  const transport = transportFor(options);
  const origin = options.baseUrl ?? new URL(crmApi.server).origin;
  const given = (['apiKey', 'oauth', 'signing'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw new TypeError(
      `createPortico: give exactly one credential — apiKey, oauth or signing${given.length ? ` (got ${given.join(', ')})` : ''}`,
    );
  }
  let authenticator: Authenticator;
  let accessToken: Portico['accessToken'] = () =>
    Promise.reject(new TypeError('accessToken() needs the oauth credential'));
  if (options.apiKey !== undefined) {
    authenticator = apiKeyAuthenticator(options.apiKey);
  } else if (options.oauth !== undefined) {
    const tokenUrl = new URL(options.oauth.tokenUrl ?? `${origin.replace(/\/+$/, '')}/oauth/token`);
    const oauth = oauthAuthenticator(options.oauth, transport, tokenUrl, {
      ...(options.now ? { now: options.now } : {}),
      // Client-wide headers are for the gateway; a token endpoint elsewhere does not get them.
      sameOrigin: tokenUrl.origin === new URL(origin).origin,
    });
    authenticator = oauth;
    accessToken = (signal) => oauth.accessToken(signal);
  } else {
    const { coveredHeaders, expiresInSeconds, ...key } = options.signing!;
    authenticator = requestSigningAuthenticator(
      key as SigningKey,
      {
        ...(coveredHeaders ? { coveredHeaders } : {}),
        ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}),
      },
      options.now,
    );
  }
  const context = { transport, authenticator, baseUrl: origin };
  return {
    crm: createApiClient<crm.paths, crm.operations>(crmApi, context),
    orders: createApiClient<orders.paths, orders.operations>(ordersApi, context),
    entitlements: createApiClient<entitlements.paths, entitlements.operations>(entitlementsApi, context),
    accessToken,
  };
}

export interface PlatformOptions extends ClientOptions {
  /** The portal's URL (default http://127.0.0.1:3000, as `npm start` runs it). */
  baseUrl?: string;
  /** A personal access token (`ptp_…`). Without one, the client keeps the session that signUp or login start. */
  personalToken?: string;
  /** The installation's operator token, for the /operator operations. */
  operatorToken?: string;
  /**
   * Without a token: `client` (default) keeps the session cookie in the client; `browser` leaves it to the
   * browser (a page served by the portal, where the cookie is HttpOnly) and keeps only the CSRF token.
   */
  session?: SessionMode;
}

export type Platform = ApiClient<platform.paths, platform.operations> & {
  /** Whether the client holds a session cookie (after signUp or login, until logout). */
  readonly hasSession: boolean;
};

export function createPlatform(options: PlatformOptions = {}): Platform {
  if (options.personalToken !== undefined && options.operatorToken !== undefined) {
    throw new TypeError('createPlatform: give personalToken or operatorToken, not both');
  }
  const token = options.personalToken ?? options.operatorToken;
  const session = token === undefined ? sessionAuthenticator(options.session) : undefined;
  const client = createApiClient<platform.paths, platform.operations>(platformApi, {
    transport: transportFor(options),
    authenticator: token !== undefined ? bearerAuthenticator(token) : session,
    baseUrl: options.baseUrl ?? new URL(platformApi.server).origin,
  });
  return Object.defineProperty(client, 'hasSession', { get: () => session?.active ?? false }) as Platform;
}

function transportFor(options: ClientOptions): Transport {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return createTransport({
    fetch: fetchImpl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: mergeRetryOptions(DEFAULT_RETRY, options.retry),
    headers: {
      accept: 'application/json, application/problem+json',
      'user-agent': `portico-sdk-typescript/${SDK_VERSION}`,
    },
    ...(options.headers ? { clientHeaders: options.headers } : {}),
  });
}
