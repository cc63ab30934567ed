// Verifies a signed request under Portico's RFC 9421 profile (DESIGN.md "Authentication at the gateway";
// specs/signatures/README.md) and returns the outcome as data; the app answers every failure with the same 401
// and logs the outcome. Cheap checks run first, the key lookup after them, the nonce is spent last: only a request
// that is otherwise valid consumes its nonce, so nobody can burn a client's nonces with junk.
import type { Clock } from '../../../../internal/src/clock';
import {
  isSignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  verifySignatureBytes,
  type SignatureAlgorithm,
  type SigningKeyMaterial,
} from './algorithms';
import { checkContentDigest } from './content-digest';
import type { NonceStore } from './nonce-store';
import { buildSignatureBase, messageFromRequest, type SignatureMessage } from './signature-base';
import { parseSignatureHeaders } from './signature-input';

export type SignatureFailure =
  /** The fields are not valid RFC 8941/9421, or use something the profile does not support. */
  | 'malformed'
  /** A required covered component or signature parameter is absent (`detail` names it). */
  | 'missing_component'
  | 'unknown_key'
  /** `alg` is not in the server's allowlist, or is not the algorithm the key was registered for. */
  | 'alg_not_allowed'
  /** `created` is older than the allowed skew. */
  | 'stale'
  /** `created` is further ahead than the allowed skew. */
  | 'future'
  | 'expired'
  | 'replayed'
  | 'digest_mismatch'
  | 'bad_signature'
  /** The nonce could not be recorded, so a replay could not be ruled out (fail closed). */
  | 'nonce_store_unavailable';

/** The key of a valid signature, without its secret material (the outcome may be logged). */
export type VerifiedKey<K extends SigningKeyMaterial> = Omit<K, 'secret' | 'publicKey'>;

/** `detail` is for the log only; the caller sees the same 401 whatever the failure. */
export interface SignatureRefusal {
  readonly outcome: SignatureFailure;
  readonly detail?: string;
}

export type SignatureVerification<K extends SigningKeyMaterial> =
  { readonly outcome: 'valid'; readonly key: VerifiedKey<K> } | SignatureRefusal;

/** Finds the key a `keyid` names; undefined when there is none or it may not be used (revoked …). */
export type SigningKeyResolver<K extends SigningKeyMaterial> = (keyId: string) => Promise<K | undefined>;

export interface SignedRequest {
  readonly method: string;
  /** The request target as received (`req.originalUrl`), path and query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body bytes as received (RFC 9530 digests the content as sent); undefined or empty for none. */
  readonly body: Buffer | undefined;
}

export interface SignatureVerifierOptions<K extends SigningKeyMaterial> {
  resolveKey: SigningKeyResolver<K>;
  nonces: NonceStore;
  clock: Clock;
  /** `created` is accepted this many seconds either side of now (DESIGN.md: 300). */
  maxSkewSeconds?: number;
  /** The server's allowlist (default both of SIGNATURE_ALGORITHMS). */
  algorithms?: readonly SignatureAlgorithm[];
  /** How callers reach the gateway, for the default port of `@authority` (default https). */
  scheme?: 'http' | 'https';
}

export type SignatureVerifier<K extends SigningKeyMaterial> = (
  request: SignedRequest,
) => Promise<SignatureVerification<K>>;

// A nonce is an opaque string of the signer's choosing; bounded so that stored keys stay small.
const NONCE = /^[\x21-\x7e]{8,128}$/;
const MAX_KEYID_LENGTH = 256;

export function createSignatureVerifier<K extends SigningKeyMaterial>(
  options: SignatureVerifierOptions<K>,
): SignatureVerifier<K> {
  const skewSeconds = options.maxSkewSeconds ?? 300;
  const allowed = new Set<string>(options.algorithms ?? SIGNATURE_ALGORITHMS);
  const scheme = options.scheme ?? 'https';

  return async function verifySignature(request) {
    const parsed = parseSignatureHeaders(request.headers['signature-input'], request.headers['signature']);
    if (!parsed.ok) return failure('malformed', parsed.detail);
    const signature = parsed.signature;
    const message = messageFromRequest(request, scheme);
    if (message === undefined) return failure('malformed', 'no usable Host or request target');

    const { created, nonce, keyid, alg, expires } = signature;
    if (created === undefined) return failure('missing_component', 'parameter created');
    if (nonce === undefined) return failure('missing_component', 'parameter nonce');
    if (keyid === undefined) return failure('missing_component', 'parameter keyid');
    if (alg === undefined) return failure('missing_component', 'parameter alg');
    if (!NONCE.test(nonce)) return failure('malformed', 'nonce: 8 to 128 visible characters');
    if (keyid === '' || keyid.length > MAX_KEYID_LENGTH) return failure('malformed', 'keyid length');
    if (!isSignatureAlgorithm(alg) || !allowed.has(alg)) return failure('alg_not_allowed', `alg ${alg}`);

    for (const component of requiredComponents(message, request.body)) {
      if (!signature.covered.includes(component)) return failure('missing_component', component);
    }

    const nowMs = options.clock.now().getTime();
    const now = Math.floor(nowMs / 1000);
    if (created < now - skewSeconds) return failure('stale', `created ${now - created} s ago`);
    if (created > now + skewSeconds) return failure('future', `created ${created - now} s ahead`);
    if (expires !== undefined && now > expires) return failure('expired', `expired ${now - expires} s ago`);

    const base = buildSignatureBase(message, signature.covered, signature.params);
    if (!base.ok) return failure('malformed', base.detail);

    const key = await options.resolveKey(keyid);
    if (key === undefined) return failure('unknown_key');
    // The key's registered algorithm decides; the message's `alg` must name it (RFC 9421 §3.2).
    if (key.algorithm !== alg || !allowed.has(key.algorithm)) {
      return failure('alg_not_allowed', `alg ${alg} for a ${key.algorithm} key`);
    }
    if (!verifySignatureBytes(key, base.base, signature.signature)) return failure('bad_signature');

    // Checked whenever present: a digest that does not match the body is tampering even where not required.
    const digest = message.field('content-digest');
    if (digest !== undefined) {
      const check = checkContentDigest(digest, request.body);
      if (check === 'malformed') return failure('malformed', 'Content-Digest');
      if (check !== 'match') return failure('digest_mismatch', check);
    }

    // Remembered until `created` leaves the window (+1 s for rounding): after that, the time check refuses it.
    const ttlMs = Math.max(1000, (created + skewSeconds + 1) * 1000 - nowMs);
    let fresh: boolean;
    try {
      fresh = await options.nonces.remember(keyid, nonce, ttlMs);
    } catch (error) {
      return failure('nonce_store_unavailable', (error as Error).message);
    }
    if (!fresh) return failure('replayed');
    return { outcome: 'valid', key: withoutMaterial(key) };
  };
}

/**
 * The server's choice of what a signature must cover (DESIGN.md): method, authority and path always; the query
 * when there is one (RFC 9421 §2.2.7: with none, a covered `@query` is `?`); the body's digest when there is a body.
 */
export function requiredComponents(message: SignatureMessage, body: Buffer | undefined): string[] {
  const required = ['@method', '@authority', '@path'];
  if (message.query !== '?') required.push('@query');
  if (body !== undefined && body.length > 0) required.push('content-digest');
  return required;
}

function failure(outcome: SignatureFailure, detail?: string): SignatureRefusal {
  return detail === undefined ? { outcome } : { outcome, detail };
}

function withoutMaterial<K extends SigningKeyMaterial>(key: K): VerifiedKey<K> {
  const { secret: _secret, publicKey: _publicKey, ...rest } = key;
  return rest;
}
