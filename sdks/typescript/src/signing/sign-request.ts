// Portico's RFC 9421 signed-request profile (specs/signatures/README.md): the signature base from @method,
// @authority, @path, @query, content-digest (RFC 9530) and chosen header fields, signed with HMAC-SHA256 or
// Ed25519 through WebCrypto. The golden vectors in specs/signatures/vectors.json pin every byte.
import { base64, base64url, sfString, utf8 } from './encoding';

/** WebCrypto's key and byte types, named through the global `crypto` so that Node and DOM typings both fit. */
type WebCryptoKey = Parameters<typeof crypto.subtle.sign>[1];
type Bytes = Parameters<typeof crypto.subtle.digest>[1];

/** An Ed25519 private key as a JSON Web Key (RFC 8037 §2). */
export interface Ed25519PrivateJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The private key, base64url. */
  d: string;
  /** The public key, base64url. */
  x: string;
}

export type SigningKey =
  | {
      keyId: string;
      algorithm: 'hmac-sha256';
      /** The signing secret exactly as Portico showed it (`pts_test_…`), prefix included. */
      secret: string;
    }
  | {
      keyId: string;
      algorithm: 'ed25519';
      /** The private key as a JWK (RFC 8037) or a WebCrypto key; Portico holds only its public half. */
      privateKey: Ed25519PrivateJwk | WebCryptoKey;
    };

export interface SignParameters {
  /** UNIX seconds; the gateway accepts ±300 s. */
  created: number;
  /** Single-use, 8–128 visible ASCII characters. */
  nonce: string;
  expires?: number;
  /** Header fields to cover beside the derived components (lowercase); default: content-type with a body. */
  coveredHeaders?: readonly string[];
  label?: string;
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array | undefined;
}

export interface RequestSigner {
  /** Sets Content-Digest (with a body), Signature-Input and Signature; returns the signature base. */
  sign(request: SignableRequest, parameters: SignParameters): Promise<string>;
}

export function createRequestSigner(key: SigningKey): RequestSigner {
  let imported: Promise<WebCryptoKey> | undefined;
  const cryptoKey = () => (imported ??= importKey(key));
  return {
    async sign(request, parameters) {
      const hasBody = request.body !== undefined && request.body.length > 0;
      if (hasBody) {
        const digest = await crypto.subtle.digest('SHA-256', request.body as Bytes);
        request.headers.set('content-digest', `sha-256=:${base64(digest)}:`);
      }
      const headerFields = (parameters.coveredHeaders ?? (hasBody ? ['content-type'] : [])).map((h) =>
        h.toLowerCase(),
      );
      const components = [
        '@method',
        '@authority',
        '@path',
        '@query',
        ...(hasBody ? ['content-digest'] : []),
        ...headerFields,
      ];
      const lines = components.map((component) => `"${component}": ${componentValue(component, request)}`);
      const signatureParams =
        `(${components.map((c) => `"${c}"`).join(' ')});created=${integer(parameters.created)}` +
        (parameters.expires !== undefined ? `;expires=${integer(parameters.expires)}` : '') +
        `;nonce=${sfString(parameters.nonce)};keyid=${sfString(key.keyId)};alg=${sfString(key.algorithm)}`;
      const base = [...lines, `"@signature-params": ${signatureParams}`].join('\n');
      const signature = await crypto.subtle.sign(
        key.algorithm === 'hmac-sha256' ? 'HMAC' : 'Ed25519',
        await cryptoKey(),
        utf8(base) as Bytes,
      );
      const label = parameters.label ?? 'sig1';
      request.headers.set('signature-input', `${label}=${signatureParams}`);
      request.headers.set('signature', `${label}=:${base64(signature)}:`);
      return base;
    },
  };
}

/** 16 random bytes in base64url, as the profile recommends. */
export function newNonce(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

function componentValue(component: string, request: SignableRequest): string {
  switch (component) {
    case '@method':
      return request.method.toUpperCase();
    // WHATWG URL already lowercases the host and drops the scheme's default port (RFC 9421 §2.2.3).
    case '@authority':
      return request.url.host;
    case '@path':
      return request.url.pathname || '/';
    case '@query':
      return request.url.search || '?';
    default: {
      const value = request.headers.get(component);
      if (value === null) throw new TypeError(`Cannot sign: the request has no ${component} header`);
      return value;
    }
  }
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`Not an integer: ${value}`);
  return String(value);
}

async function importKey(key: SigningKey): Promise<WebCryptoKey> {
  if (key.algorithm === 'hmac-sha256') {
    return crypto.subtle.importKey(
      'raw',
      utf8(key.secret) as Bytes,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  }
  if (!isJwk(key.privateKey)) return key.privateKey;
  return crypto.subtle.importKey('jwk', { ...key.privateKey }, { name: 'Ed25519' }, false, ['sign']);
}

function isJwk(value: Ed25519PrivateJwk | WebCryptoKey): value is Ed25519PrivateJwk {
  return (value as { kty?: unknown }).kty === 'OKP';
}
