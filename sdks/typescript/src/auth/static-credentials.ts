// Credentials that are the same on every attempt: an API key for the gateway (X-API-Key), and a bearer token for
// the management API (a personal access token `ptp_…` or the operator token).
import type { Authenticator } from './authenticator';

export function apiKeyAuthenticator(apiKey: string): Authenticator {
  if (!/^ptc_(test|live)_[0-9A-Za-z]+$/.test(apiKey)) {
    throw new TypeError('apiKey: expected a Portico API key (ptc_test_… or ptc_live_…)');
  }
  return { authenticate: ({ headers }) => headers.set('x-api-key', apiKey) };
}

export function bearerAuthenticator(token: string): Authenticator {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new TypeError('token: expected a bearer token (visible ASCII)');
  return { authenticate: ({ headers }) => headers.set('authorization', `Bearer ${token}`) };
}
