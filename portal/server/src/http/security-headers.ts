// Response headers that make the portal's pages safe to open in a browser: a Content-Security-Policy without
// inline script (W3C CSP Level 3), no framing (clickjacking), no MIME sniffing, no referrer leaking ids off-site.
import type { RequestHandler } from 'express';

export interface PagePolicy {
  /** Origins besides 'self' that page scripts may call (the gateway, for the docs' try-it). */
  connectTo?: readonly string[];
  /**
   * Allow inline style (never inline script). Swagger UI writes style attributes and a <style> block; the portal
   * UI itself needs none.
   */
  inlineStyle?: boolean;
}

/** The Content-Security-Policy of a page: scripts only from this origin, never inline, never eval. */
export function contentSecurityPolicy(policy: PagePolicy = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': policy.inlineStyle ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(policy.connectTo ?? [])],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export function securityHeaders(policy: PagePolicy = {}): RequestHandler {
  const csp = contentSecurityPolicy(policy);
  return function setSecurityHeaders(_req, res, next) {
    res.set({
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    });
    next();
  };
}
