// A management-API session for scripts, as the portal UI has one: the `portico_session` cookie from sign-up or
// sign-in is kept and sent back, with the CSRF token the same answers carry on every unsafe request.
import type { Authenticator } from './authenticator';

const SESSION_COOKIE = 'portico_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SessionAuthenticator extends Authenticator {
  /** Whether a session is held (after signUp or login, until logout or a 401). */
  readonly active: boolean;
}

/**
 * `client` (scripts, Node): the client keeps the cookie itself. `browser` (a page on the portal's origin): the
 * browser keeps the HttpOnly cookie, which script can neither read nor set, so only the CSRF token is held here —
 * learnt from sign-in, sign-up or `getSession` — and the session counts as active while it is known.
 */
export type SessionMode = 'client' | 'browser';

export function sessionAuthenticator(mode: SessionMode = 'client'): SessionAuthenticator {
  // The name as the portal set it: `__Host-portico_session` over HTTPS, `portico_session` over plain HTTP.
  let cookie: { name: string; value: string } | undefined;
  let csrfToken: string | undefined;
  if (mode === 'browser') return browserSession();
  return {
    get active() {
      return cookie !== undefined;
    },
    authenticate({ method, headers }) {
      if (cookie === undefined) return;
      headers.set('cookie', `${cookie.name}=${cookie.value}`);
      if (UNSAFE.has(method) && csrfToken !== undefined) headers.set('x-csrf-token', csrfToken);
    },
    observe(response, data) {
      for (const line of response.headers.getSetCookie()) {
        const match = new RegExp(`^((?:__Host-)?${SESSION_COOKIE})=([^;]*)`).exec(line);
        if (!match) continue;
        // An empty value or a past expiry is the server ending the session (logout).
        const ended = match[2] === '' || /;\s*max-age=0\b/i.test(line);
        cookie = ended ? undefined : { name: match[1]!, value: match[2]! };
        if (ended) csrfToken = undefined;
      }
      if (response.status === 401) {
        cookie = undefined;
        csrfToken = undefined;
      }
      const token = (data as { csrfToken?: unknown } | undefined)?.csrfToken;
      if (typeof token === 'string') csrfToken = token;
    },
  };
}

function browserSession(): SessionAuthenticator {
  let csrfToken: string | undefined;
  return {
    get active() {
      return csrfToken !== undefined;
    },
    authenticate({ method, headers }) {
      if (UNSAFE.has(method) && csrfToken !== undefined) headers.set('x-csrf-token', csrfToken);
    },
    observe(response, data) {
      if (response.status === 401) csrfToken = undefined;
      const token = (data as { csrfToken?: unknown } | undefined)?.csrfToken;
      if (typeof token === 'string') csrfToken = token;
      // logout answers 204: the cookie is gone, and so is the token it was bound to.
      if (response.status === 204 && new URL(response.url || 'http://x/').pathname.endsWith('/session')) {
        csrfToken = undefined;
      }
    },
  };
}
