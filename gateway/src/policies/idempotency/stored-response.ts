// What is kept of an upstream's first answer to replay it later, and which of its headers may be replayed: the
// upstream's own fields, not the connection's (hop-by-hop) nor the ones the gateway writes afresh per request.

import { HOP_BY_HOP } from '../proxy/header-hygiene';

export interface StoredResponse {
  status: number;
  /** Lower-case names; Set-Cookie (and any repeated field) as an array. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A response as captured from the proxy's writes (capture-response.ts), before it is stored. */
export type CapturedResponse = StoredResponse;

const NOT_REPLAYED = new Set([
  // RFC 9110 §7.6.1: connection-specific, meaningful for one hop only (and the obsolete ones still seen).
  ...HOP_BY_HOP,
  'proxy-authenticate',
  // Framing is recomputed from the stored bytes; Date is the new message's origination time (RFC 9110 §6.6.1).
  'content-length',
  'date',
  // Per request, written by the gateway for the request being answered: its id, its own RateLimit counters
  // (draft-ietf-httpapi-ratelimit-headers), and the replay marker itself.
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'idempotent-replayed',
  // CORS headers answer this request's Origin (policies/cors), not the first request's.
  'access-control-allow-origin',
  'access-control-expose-headers',
]);

/** The headers of `headers` worth keeping and replaying, names in lower case. Set-Cookie is kept, as Stripe does. */
export function replayableHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value === undefined || NOT_REPLAYED.has(lower)) continue;
    out[lower] = Array.isArray(value) ? [...value] : String(value);
  }
  return out;
}
