// Signs a request under Portico's RFC 9421 profile: the reference signer for tests, for the golden vectors and for
// the SDKs. It covers what the gateway requires and, always, `@query` (`?` when there is none), so that a query
// cannot be added to a signed request; with a body it adds `Content-Digest` (RFC 9530) and covers it.
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../../../internal/src/clock';
import { signatureBytes, type SignerKey } from './algorithms';
import { contentDigest, type DigestAlgorithm } from './content-digest';
import { buildSignatureBase, messageFromUrl, signatureParamsValue } from './signature-base';
import type { BareItem } from './structured-fields';
import { serializeDictionary } from './structured-fields-serialize';

export interface SignRequestInput {
  method: string;
  /** The absolute URL to be called. */
  url: string | URL;
  /** Headers to send; covered ones (see coverHeaders) must be here. Names are matched case-insensitively. */
  headers?: Readonly<Record<string, string>>;
  /** The exact bytes to be sent (a string is sent as UTF-8). */
  body?: Buffer | string;
  key: SignerKey;
  /** UNIX seconds; default now (from `clock`). */
  created?: number;
  /** UNIX seconds after which the gateway refuses the signature; default none. */
  expires?: number;
  /** Default 16 random bytes, base64url. Never reuse one: the gateway refuses a replayed nonce. */
  nonce?: string;
  /** The signature's label in both fields (default `sig1`). */
  label?: string;
  digestAlgorithm?: DigestAlgorithm;
  /** More header fields to cover, lowercase, after the required components (e.g. `content-type`). */
  coverHeaders?: readonly string[];
  clock?: Clock;
}

/** The headers to add to the request, and the base that was signed (for tests and debugging). */
export interface SignedRequestHeaders {
  headers: { 'signature-input': string; signature: string; 'content-digest'?: string };
  signatureBase: string;
}

export function signRequest(input: SignRequestInput): SignedRequestHeaders {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;

  const covered = ['@method', '@authority', '@path', '@query'];
  let digest: string | undefined;
  if (body !== undefined && body.length > 0) {
    digest = contentDigest(body, input.digestAlgorithm);
    headers['content-digest'] = digest;
    covered.push('content-digest');
  }
  for (const name of input.coverHeaders ?? []) covered.push(name);

  const created = input.created ?? Math.floor((input.clock ?? systemClock).now().getTime() / 1000);
  const params = new Map<string, BareItem>([['created', { type: 'integer', value: created }]]);
  if (input.expires !== undefined) params.set('expires', { type: 'integer', value: input.expires });
  params.set('nonce', { type: 'string', value: input.nonce ?? randomBytes(16).toString('base64url') });
  params.set('keyid', { type: 'string', value: input.key.keyId });
  params.set('alg', { type: 'string', value: input.key.algorithm });

  const base = buildSignatureBase(messageFromUrl(input.method, url, headers), covered, params);
  if (!base.ok) throw new Error(`cannot sign: ${base.detail}`);
  const label = input.label ?? 'sig1';
  const signature = signatureBytes(input.key, base.base);
  return {
    headers: {
      'signature-input': `${label}=${signatureParamsValue(covered, params)}`,
      signature: serializeDictionary(
        new Map([[label, { kind: 'item', value: { type: 'bytes', value: signature }, params: new Map() }]]),
      ),
      ...(digest !== undefined ? { 'content-digest': digest } : {}),
    },
    signatureBase: base.base,
  };
}
