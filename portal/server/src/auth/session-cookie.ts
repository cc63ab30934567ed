// The `portico_session` cookie (platform spec, Authentication): HttpOnly so scripts cannot read it, SameSite=Lax so
// cross-site subrequests do not carry it, Secure over HTTPS, Path=/; it lasts no longer than the session can. Over
// HTTPS it is named `__Host-portico_session`: browsers accept that name only from this host, Secure, with Path=/ and
// no Domain (RFC 6265bis §4.1.3.2), so a sibling subdomain or another port cannot plant a session (login CSRF).
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'portico_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** The cookie's name for this request: the prefixed one whenever the cookie is Secure. */
export function sessionCookieName(req: Request, secureCookies: boolean): string {
  return req.secure || secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The session token, only from the cookie of this request's name: over HTTPS an unprefixed one is ignored. */
export function readSessionCookie(req: Request, secureCookies: boolean): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  const name = sessionCookieName(req, secureCookies);
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(
  req: Request,
  res: Response,
  token: string,
  maxAgeSeconds: number,
  secureCookies: boolean,
): void {
  res.append('Set-Cookie', cookie(sessionCookieName(req, secureCookies), token, maxAgeSeconds));
}

export function clearSessionCookie(req: Request, res: Response, secureCookies: boolean): void {
  res.append('Set-Cookie', cookie(sessionCookieName(req, secureCookies), '', 0));
}

function cookie(name: string, value: string, maxAgeSeconds: number): string {
  const secure = name === SECURE_SESSION_COOKIE;
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
