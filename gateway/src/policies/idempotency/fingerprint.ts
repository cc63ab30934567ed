// The fingerprint of a request that carries an Idempotency-Key: the same key sent with another method, target or
// body is a different request, answered 422 instead of a replay (draft-ietf-httpapi-idempotency-key-header,
// "Idempotency Fingerprint"; Stripe compares the parameters the same way).
import { createHash } from 'node:crypto';

export interface FingerprintedRequest {
  method: string;
  /** The request target as received, path and query (`req.url`): `/orders/v1/orders?expand=items`. */
  target: string;
  /** The raw body bytes the gateway read once; absent or empty for no body. */
  body?: Buffer | undefined;
}

/**
 * A hex SHA-256 over the method, the target and the SHA-256 of the raw body. Bytes, not parsed JSON: a client that
 * retries sends the very same bytes, and anything else (reordered members, other whitespace) is treated as another
 * payload, which errs on the safe side (422, never a replay of an answer to something else).
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  const bodyDigest = createHash('sha256')
    .update(request.body ?? Buffer.alloc(0))
    .digest('hex');
  // Neither the method nor a request target can contain a line feed (RFC 9112 §3), so the join is unambiguous.
  return createHash('sha256')
    .update(`${request.method.toUpperCase()}\n${request.target}\n${bodyDigest}`)
    .digest('hex');
}
