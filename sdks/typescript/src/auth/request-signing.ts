// Signed requests as a credential: each attempt gets a fresh nonce and `created` and is signed again, because the
// gateway refuses a nonce it has seen (a retry is a new signature, specs/signatures/README.md).
import { createRequestSigner, newNonce, type SigningKey } from '../signing/sign-request';
import type { Authenticator } from './authenticator';

export interface RequestSigningOptions {
  /** Header fields to cover beside the required components (default: content-type with a body). */
  coveredHeaders?: readonly string[];
  /** Seconds until the signature expires (the `expires` parameter); none by default. */
  expiresInSeconds?: number;
}

export function requestSigningAuthenticator(
  key: SigningKey,
  options: RequestSigningOptions = {},
): Authenticator {
  if (!/^sig_[0-9A-Za-z]+$/.test(key.keyId))
    throw new TypeError('signing.keyId: expected a signing key id (sig_…)');
  const signer = createRequestSigner(key);
  return {
    async authenticate(request) {
      const created = Math.floor(Date.now() / 1000);
      await signer.sign(request, {
        created,
        nonce: newNonce(),
        ...(options.expiresInSeconds !== undefined ? { expires: created + options.expiresInSeconds } : {}),
        ...(options.coveredHeaders ? { coveredHeaders: options.coveredHeaders } : {}),
      });
    },
  };
}
