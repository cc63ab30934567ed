// The `portico_session` cookie (platform spec, Authentication): HttpOnly so scripts cannot read it, SameSite=Lax so
// cross-site subrequests do not carry it, Secure over HTTPS, Path=/; it lasts no longer than the session can.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'portico_session';

export function readSessionCookie(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim();
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
  res.append('Set-Cookie', cookie(token, maxAgeSeconds, req.secure || secureCookies));
}

export function clearSessionCookie(req: Request, res: Response, secureCookies: boolean): void {
  res.append('Set-Cookie', cookie('', 0, req.secure || secureCookies));
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
