// The token issuer's signing keys as material: generated with node:crypto (ES256 on P-256, or RS256 with 2048-bit
// RSA), the public half as a JWK (RFC 7517) with `kid` = its RFC 7638 thumbprint, the private half as PKCS#8
// sealed with the secret box under the configured key ring, bound to its kid (a ciphertext moved onto another
// key's row does not open).
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { openSecret, sealSecret, type SecretBoxRing } from '../domain/secret-box';
import type { IssuerAlgorithm } from './oauth-settings';

/** A published verification key: only public members, never `d`, `p`, `q` … (they are not even copied). */
export type PublicIssuerJwk =
  | {
      readonly kty: 'EC';
      readonly crv: 'P-256';
      readonly x: string;
      readonly y: string;
      readonly kid: string;
      readonly alg: 'ES256';
      readonly use: 'sig';
    }
  | {
      readonly kty: 'RSA';
      readonly n: string;
      readonly e: string;
      readonly kid: string;
      readonly alg: 'RS256';
      readonly use: 'sig';
    };

/** What the store keeps of a new key (the `issuer_keys` columns it fills). */
export interface IssuerKeyMaterial {
  readonly kid: string;
  readonly algorithm: IssuerAlgorithm;
  readonly publicJwk: PublicIssuerJwk;
  /** `v1:<keyId>:…` from secret-box.ts; the plaintext is the PKCS#8 PEM. */
  readonly privateKeyCiphertext: string;
  readonly encryptionKeyId: string;
}

/** 2048 bits: NIST SP 800-57 strength 112, the RS256 minimum of RFC 7518 §3.3. */
const RSA_MODULUS_BITS = 2048;

/** Generates a key of `algorithm` and seals its private half under the ring's current key. */
export function generateIssuerKey(ring: SecretBoxRing, algorithm: IssuerAlgorithm): IssuerKeyMaterial {
  const { privateKey, publicKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS });
  const publicJwk = publicIssuerJwk(publicKey, algorithm);
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  return {
    kid: publicJwk.kid,
    algorithm,
    publicJwk,
    privateKeyCiphertext: sealSecret(ring, pem, issuerKeyContext(publicJwk.kid)),
    encryptionKeyId: ring.current.id,
  };
}

/** The secret-box context of an issuer key's private half: it names the key, so it opens only on its own row. */
export function issuerKeyContext(kid: string): string {
  return `issuer_key:${kid}`;
}

/** The private key for signing; throws (a broken installation, not a caller's mistake) when it cannot be opened. */
export function openIssuerPrivateKey(ring: SecretBoxRing, kid: string, ciphertext: string): KeyObject {
  const opened = openSecret(ring, ciphertext, issuerKeyContext(kid));
  if (!opened.ok) throw new Error(`issuer key ${kid}: private key cannot be opened (${opened.reason})`);
  return createPrivateKey(opened.plaintext);
}

/** The public JWK of a key, with only the members RFC 7518 §6.2.1 / §6.3.1 define as public. */
export function publicIssuerJwk(key: KeyObject, algorithm: IssuerAlgorithm): PublicIssuerJwk {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (algorithm === 'ES256') {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new TypeError('ES256 needs a P-256 key');
    const kid = jwkThumbprint({ crv: 'P-256', kty: 'EC', x: jwk.x as string, y: jwk.y as string });
    return Object.freeze({
      kty: 'EC',
      crv: 'P-256',
      x: jwk.x as string,
      y: jwk.y as string,
      kid,
      alg: 'ES256',
      use: 'sig',
    });
  }
  if (jwk.kty !== 'RSA') throw new TypeError('RS256 needs an RSA key');
  const kid = jwkThumbprint({ e: jwk.e as string, kty: 'RSA', n: jwk.n as string });
  return Object.freeze({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string, kid, alg: 'RS256', use: 'sig' });
}

/** A verification key from its published JWK (the verifier's side; no private material is involved). */
export function verificationKeyFromJwk(jwk: PublicIssuerJwk): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/**
 * RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace, base64url. A kid derived from
 * the key itself is unique without coordination and says nothing but which key it is.
 */
function jwkThumbprint(required: Record<string, string>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(required).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
