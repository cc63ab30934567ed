// Test helpers: fresh keys of both algorithms, a resolver over them, and a signed request shaped as the gateway
// hands it to the verifier (origin-form target, Host header, raw body).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { signatureBytes, type SignerKey, type SigningKeyMaterial } from '../algorithms';
import { contentDigest } from '../content-digest';
import { signRequest, type SignRequestInput } from '../sign';
import { buildSignatureBase, messageFromUrl, signatureParamsValue } from '../signature-base';
import type { BareItem } from '../structured-fields';
import { serializeDictionary } from '../structured-fields-serialize';
import type { SignedRequest, SigningKeyResolver } from '../verify-signature';

export interface TestKeyPair {
  signer: SignerKey;
  stored: SigningKeyMaterial & { appId: string };
}

export function hmacTestKey(keyId = 'sig_hmac'): TestKeyPair {
  const secret = randomBytes(32);
  return {
    signer: { keyId, algorithm: 'hmac-sha256', secret },
    stored: { keyId, algorithm: 'hmac-sha256', secret, appId: 'app_hmac' },
  };
}

export function ed25519TestKey(keyId = 'sig_ed25519'): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signer: { keyId, algorithm: 'ed25519', privateKey },
    stored: { keyId, algorithm: 'ed25519', publicKey, appId: 'app_ed25519' },
  };
}

export function resolverOf(
  ...keys: TestKeyPair[]
): SigningKeyResolver<SigningKeyMaterial & { appId: string }> {
  const byId = new Map(keys.map((k) => [k.stored.keyId, k.stored]));
  return async (keyId) => byId.get(keyId);
}

/** Signs with signRequest and returns what the verifier receives; `headers` are sent too. */
export function signedRequest(
  input: Omit<SignRequestInput, 'url'> & { url?: string },
): SignedRequest & { signatureBase: string } {
  const url = new URL(input.url ?? 'https://api.portico.example/crm/v1/customers');
  const signed = signRequest({ ...input, url });
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  Object.assign(headers, signed.headers);
  const body = input.body === undefined ? undefined : Buffer.from(input.body);
  return {
    method: input.method,
    url: url.pathname + url.search,
    headers,
    body,
    signatureBase: signed.signatureBase,
  };
}

export interface CustomSignature {
  key: SignerKey;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Exactly these components, in this order. */
  covered: readonly string[];
  /** Exactly these parameters, in this order (e.g. a wrong `alg`, or none of `nonce`). */
  params: ReadonlyArray<readonly [string, BareItem]>;
}

/**
 * Signs what signRequest never would (too few components, wrong parameters), for negative tests and vectors.
 * With a body, a Content-Digest is added to the headers whether or not it is covered.
 */
export function signComponents(input: CustomSignature): SignedRequest & { signatureBase: string } {
  const url = new URL(input.url);
  const headers: Record<string, string> = { host: url.host, ...input.headers };
  if (input.body !== undefined) headers['content-digest'] = contentDigest(input.body);
  const params = new Map(input.params);
  const base = buildSignatureBase(messageFromUrl(input.method, url, headers), input.covered, params);
  if (!base.ok) throw new Error(base.detail);
  headers['signature-input'] = `sig1=${signatureParamsValue(input.covered, params)}`;
  headers['signature'] = serializeDictionary(
    new Map([
      [
        'sig1',
        {
          kind: 'item',
          value: { type: 'bytes', value: signatureBytes(input.key, base.base) },
          params: new Map(),
        },
      ],
    ]),
  );
  return {
    method: input.method,
    url: url.pathname + url.search,
    headers,
    body: input.body === undefined ? undefined : Buffer.from(input.body),
    signatureBase: base.base,
  };
}

/** The parameters signRequest would send, as a list to edit. */
export function profileParams(
  key: SignerKey,
  created: number,
  nonce = randomBytes(12).toString('base64url'),
): Array<[string, BareItem]> {
  return [
    ['created', { type: 'integer', value: created }],
    ['nonce', { type: 'string', value: nonce }],
    ['keyid', { type: 'string', value: key.keyId }],
    ['alg', { type: 'string', value: key.algorithm }],
  ];
}
