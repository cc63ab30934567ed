// The public API of the signed-request policy (RFC 9421 profile, specs/signatures/README.md). The app builds one
// verifier at start-up: createSignatureVerifier({ resolveKey: createSigningKeySource(…), nonces, clock }).
export {
  createSignatureVerifier,
  requiredComponents,
  type SignatureFailure,
  type SignatureRefusal,
  type SignatureVerification,
  type SignatureVerifier,
  type SignatureVerifierOptions,
  type SignedRequest,
  type SigningKeyResolver,
  type VerifiedKey,
} from './verify-signature';
export {
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
  type SignerKey,
  type SigningKeyMaterial,
} from './algorithms';
export { memoryNonceStore, NonceStoreFullError, type NonceStore } from './nonce-store';
export { redisNonceStore, type RedisNonceStoreOptions } from './redis-nonce-store';
export { createSigningKeySource, type StoredSigningKey } from './signing-key-source';
export { signRequest, type SignRequestInput, type SignedRequestHeaders } from './sign';
export {
  buildSignatureBase,
  messageFromRequest,
  messageFromUrl,
  signatureParamsValue,
  type SignatureMessage,
} from './signature-base';
export { checkContentDigest, contentDigest, type DigestAlgorithm } from './content-digest';
