// CORS for browser pages that call the gateway (the portal docs' try-it): the Fetch standard's CORS protocol.
// Preflights are answered here, before routing, authentication and every limiter, so they never reach a backend
// nor spend an app's quota; actual responses — the gateway's own problems included — carry the allow headers.
// No Access-Control-Allow-Credentials: API keys travel in headers, never in cookies.
import type { RequestContext } from '../../context';

export interface CorsOptions {
  /** Exact origins (scheme://host[:port]) allowed to read responses; `['*']` allows any. Empty: CORS off. */
  allowedOrigins: readonly string[];
  /** How long a browser may cache a preflight answer (Fetch: Access-Control-Max-Age). */
  maxAgeSeconds?: number;
}

/** What a browser page may send besides the CORS-safelisted request headers. */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'X-API-Key',
  'Content-Type',
  'Idempotency-Key',
  'Signature',
  'Signature-Input',
  'Content-Digest',
  'X-Request-Id',
] as const;

/** Response headers a page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-Id',
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'Idempotent-Replayed',
  'Location',
  'WWW-Authenticate',
] as const;

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';

/**
 * Sets the CORS headers of this request's response and tells whether it is a preflight, which the caller answers
 * with `answerPreflight` instead of running a stack.
 */
export type Cors = (ctx: RequestContext) => boolean;

export function createCors(options: CorsOptions): Cors {
  const any = options.allowedOrigins.includes('*');
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  const allowHeaders = CORS_ALLOWED_HEADERS.join(', ');
  const exposeHeaders = CORS_EXPOSED_HEADERS.join(', ');
  const off = options.allowedOrigins.length === 0;

  return function cors(ctx) {
    if (off) return false;
    const res = ctx.res;
    // The answer depends on Origin, so every response says so, for caches (Fetch §3.2.5 "CORS protocol and HTTP caches").
    if (!any) res.setHeader('Vary', 'Origin');
    const origin = ctx.req.headers.origin;
    const preflight =
      ctx.method === 'OPTIONS' &&
      origin !== undefined &&
      ctx.req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined || !(any || allowed.has(origin.toLowerCase()))) return preflight;
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (preflight) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', allowHeaders);
      res.setHeader('Access-Control-Max-Age', maxAge);
    } else {
      res.setHeader('Access-Control-Expose-Headers', exposeHeaders);
    }
    return preflight;
  };
}

/**
 * A preflight's answer: 204 with whatever `cors` set — the allow headers for an allowed origin, none for another
 * (the browser then refuses the actual request; the gateway reveals nothing about the route or the credential).
 */
export function answerPreflight(ctx: RequestContext): void {
  ctx.res.statusCode = 204;
  ctx.res.setHeader('Cache-Control', 'no-store');
  ctx.res.end();
}
