// Signed requests as a credential: each attempt gets a fresh nonce and `created` and is signed again, because the
// gateway refuses a nonce it has seen (a retry is a new signature, specs/signatures/README.md). A client clock
// that is off by minutes is corrected from the gateway's Date header, so `created` stays inside its ±300 s window.
import { createRequestSigner, newNonce, type SigningKey } from '../signing/sign-request';
import type { Authenticator } from './authenticator';

export interface RequestSigningOptions {
  /** Header fields to cover beside the required components (default: content-type with a body). */
  coveredHeaders?: readonly string[];
  /** Seconds until the signature expires (the `expires` parameter); none by default. */
  expiresInSeconds?: number;
}

/**
 * Date (RFC 9110 §6.6.1) has one-second resolution and the answer takes time to arrive: only an offset well
 * beyond that is a skewed clock worth correcting.
 */
const SKEW_TOLERANCE_SECONDS = 30;

export function requestSigningAuthenticator(
  key: SigningKey,
  options: RequestSigningOptions = {},
  now: () => number = Date.now,
): Authenticator {
  if (!/^sig_[0-9A-Za-z]+$/.test(key.keyId))
    throw new TypeError('signing.keyId: expected a signing key id (sig_…)');
  const signer = createRequestSigner(key);
  /** The gateway's clock minus ours, in seconds, as its Date headers tell. */
  let skewSeconds = 0;
  /** The skew each attempt was signed with, to tell after a 401 whether a corrected signature could pass. */
  const signedWith = new WeakMap<Headers, number>();
  return {
    async authenticate(request) {
      const created = Math.floor(now() / 1000) + skewSeconds;
      signedWith.set(request.headers, skewSeconds);
      await signer.sign(request, {
        created,
        nonce: newNonce(),
        ...(options.expiresInSeconds !== undefined ? { expires: created + options.expiresInSeconds } : {}),
        ...(options.coveredHeaders ? { coveredHeaders: options.coveredHeaders } : {}),
      });
    },
    observe(response) {
      const date = Date.parse(response.headers.get('date') ?? '');
      if (Number.isNaN(date)) return;
      const offset = Math.round((date - now()) / 1000);
      if (Math.abs(offset - skewSeconds) > SKEW_TOLERANCE_SECONDS) skewSeconds = offset;
    },
    refresh({ headers }) {
      // All 401s look alike (DESIGN.md); one more attempt is worth it only if this one was signed with a clock
      // the gateway's answer has since corrected.
      const used = signedWith.get(headers);
      return used !== undefined && used !== skewSeconds;
    },
  };
}
