// Answers a retry with the stored first response, marked `Idempotent-Replayed: true` as Stripe does (and as
// specs/common/parameters.yaml promises), so a client can tell a replay from a fresh execution.
import type { ServerResponse } from 'node:http';
import { replayableHeaders, type StoredResponse } from './stored-response';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Writes `response` to `res` and ends it. The status and body bytes are the stored ones; of the stored headers the
 * hop-by-hop and per-request ones are dropped (stored-response.ts), and headers earlier policies already set on
 * `res` for this request (RateLimit-*) win, as they do when the proxy streams. `X-Request-Id` is this request's.
 */
export function writeReplay(res: ServerResponse, response: StoredResponse, requestId: string): void {
  const headers = replayableHeaders(response.headers);
  for (const name in headers) {
    if (!res.hasHeader(name)) res.setHeader(name, headers[name]!);
  }
  res.setHeader('X-Request-Id', requestId);
  res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // RFC 9110 §8.6: no Content-Length on a 204 or 304 (nor a body, RFC 9110 §15.3.5, §15.4.5).
  const bodiless = response.status === 204 || response.status === 304;
  if (!bodiless) res.setHeader('Content-Length', response.body.length);
  res.writeHead(response.status);
  res.end(bodiless ? undefined : response.body);
}
