// Builds specs/signatures/vectors.json, the golden test vectors of the signature profile shared with the SDKs.
// Deterministic (fixed keys, times and nonces; HMAC and Ed25519 signatures are both deterministic), so a test
// checks the committed file against this for drift. Regenerate after a deliberate change:
//   npx tsx gateway/src/policies/signature/testing/golden-vectors.ts
// The keys are TEST KEYS, published on purpose: never use them, or anything derived from them, for real traffic.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SignerKey } from '../algorithms';
import { signRequest } from '../sign';
import { signComponents } from './signed-requests';

export const VECTORS_FILE = path.resolve(__dirname, '../../../../../specs/signatures/vectors.json');

/** The verifier's clock in every vector: 2026-01-01T00:00:30Z. */
const NOW = 1_767_225_630;
const CREATED = NOW - 30;

export const TEST_KEYS = {
  'test-hmac': {
    testOnly: true,
    keyid: 'sig_000000000000000000TESTHMAC',
    algorithm: 'hmac-sha256',
    secret: 'portico-golden-vectors-hmac-secret-TEST-ONLY-never-use',
    secretEncoding: 'utf-8',
  },
  'test-ed25519': {
    testOnly: true,
    keyid: 'sig_000000000000000TESTED25519',
    algorithm: 'ed25519',
    source: 'RFC 9421 Appendix B.1.4 (test-key-ed25519)',
    privateKeyJwk: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: 'n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU',
      x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
    },
    publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs' },
  },
} as const;

export type TestKeyName = keyof typeof TEST_KEYS;

export function signerKey(name: TestKeyName): SignerKey {
  const key = TEST_KEYS[name];
  return key.algorithm === 'hmac-sha256'
    ? { keyId: key.keyid, algorithm: key.algorithm, secret: Buffer.from(key.secret, 'utf8') }
    : {
        keyId: key.keyid,
        algorithm: key.algorithm,
        privateKey: createPrivateKey({ key: { ...key.privateKeyJwk }, format: 'jwk' }),
      };
}

export interface GoldenVector {
  name: string;
  key: TestKeyName;
  /** The verifier's current time, UNIX seconds. */
  now: number;
  request: { method: string; url: string; headers: Record<string, string>; body: string | null };
  /** The base the verifier builds from the request; absent when it cannot build one. */
  signatureBase?: string;
  expected: { outcome: string };
}

interface Draft {
  name: string;
  key: TestKeyName;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  created?: number;
  expires?: number;
  nonce: string;
}

function valid(draft: Draft): GoldenVector {
  const url = new URL(draft.url);
  const signed = signRequest({
    method: draft.method,
    url,
    headers: draft.headers,
    body: draft.body,
    key: signerKey(draft.key),
    created: draft.created ?? CREATED,
    expires: draft.expires,
    nonce: draft.nonce,
    ...(draft.headers?.['content-type'] ? { coverHeaders: ['content-type'] } : {}),
  });
  return {
    name: draft.name,
    key: draft.key,
    now: NOW,
    request: {
      method: draft.method,
      url: draft.url,
      headers: { host: url.host, ...draft.headers, ...signed.headers },
      body: draft.body ?? null,
    },
    signatureBase: signed.signatureBase,
    expected: { outcome: 'valid' },
  };
}

/** Signs exactly `covered` with `alg` as given: how the negative vectors get what signRequest would never make. */
function custom(draft: Draft & { covered: string[]; alg: string }, outcome: string): GoldenVector {
  const signed = signComponents({
    key: signerKey(draft.key),
    method: draft.method,
    url: draft.url,
    headers: draft.headers,
    body: draft.body,
    covered: draft.covered,
    params: [
      ['created', { type: 'integer', value: draft.created ?? CREATED }],
      ['nonce', { type: 'string', value: draft.nonce }],
      ['keyid', { type: 'string', value: TEST_KEYS[draft.key].keyid }],
      ['alg', { type: 'string', value: draft.alg }],
    ],
  });
  return {
    name: draft.name,
    key: draft.key,
    now: NOW,
    request: {
      method: draft.method,
      url: draft.url,
      headers: signed.headers as Record<string, string>,
      body: draft.body ?? null,
    },
    signatureBase: signed.signatureBase,
    expected: { outcome },
  };
}

const ORDER_BODY =
  '{"customerId":"cus_01JD8Z6Q4V0E3M9K2T5R7W1X8Y","lines":[{"sku":"VIT-C-500","quantity":2}]}';
const JSON_TYPE = { 'content-type': 'application/json' };

export function buildGoldenVectors(): {
  description: string;
  keys: typeof TEST_KEYS;
  vectors: GoldenVector[];
} {
  const hmacPost = valid({
    name: 'hmac-sha256: POST with a JSON body and a query',
    key: 'test-hmac',
    method: 'POST',
    url: 'https://api.portico.example/orders/v1/orders?dryRun=true',
    headers: JSON_TYPE,
    body: ORDER_BODY,
    nonce: 'hmac-post-7f3a9c2e1b',
  });
  const edPost = valid({
    name: 'ed25519: PATCH with a JSON body, sha-256 digest, an expires parameter',
    key: 'test-ed25519',
    method: 'PATCH',
    url: 'https://api.portico.example/crm/v1/customers/cus_01JD8Z6Q4V0E3M9K2T5R7W1X8Y',
    headers: JSON_TYPE,
    body: '{"email":"li.wei@jadepharm.example"}',
    expires: CREATED + 60,
    nonce: 'ed-patch-4c1d8e5a02',
  });
  const vectors: GoldenVector[] = [
    hmacPost,
    valid({
      name: 'hmac-sha256: GET without a query (@query is "?")',
      key: 'test-hmac',
      method: 'GET',
      url: 'https://api.portico.example/crm/v1/customers',
      nonce: 'hmac-get-0b9e6d3f21',
    }),
    edPost,
    valid({
      name: 'ed25519: GET with a percent-encoded query on a non-default port',
      key: 'test-ed25519',
      method: 'GET',
      url: 'https://api.portico.example:8443/crm/v1/customers?email=li.wei%40jadepharm.example&limit=10',
      nonce: 'ed-get-9a7b5c3d1e',
    }),
    {
      ...hmacPost,
      name: 'negative: the body was changed after signing',
      request: { ...hmacPost.request, body: ORDER_BODY.replace('"quantity":2', '"quantity":20') },
      expected: { outcome: 'digest_mismatch' },
    },
    {
      ...edPost,
      name: 'negative: the path was changed after signing',
      request: { ...edPost.request, url: edPost.request.url.replace(/Y$/, 'Z') },
      signatureBase: edPost.signatureBase!.replace(
        '/cus_01JD8Z6Q4V0E3M9K2T5R7W1X8Y',
        '/cus_01JD8Z6Q4V0E3M9K2T5R7W1X8Z',
      ),
      expected: { outcome: 'bad_signature' },
    },
    custom(
      {
        name: 'negative: a body without content-digest among the covered components',
        key: 'test-hmac',
        method: 'POST',
        url: 'https://api.portico.example/orders/v1/orders',
        headers: JSON_TYPE,
        body: ORDER_BODY,
        nonce: 'neg-missing-31c5a7e9',
        covered: ['@method', '@authority', '@path', '@query', 'content-type'],
        alg: 'hmac-sha256',
      },
      'missing_component',
    ),
    custom(
      {
        name: 'negative: a query that the signature does not cover',
        key: 'test-ed25519',
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers?limit=10',
        nonce: 'neg-query-8d2f6b4a',
        covered: ['@method', '@authority', '@path'],
        alg: 'ed25519',
      },
      'missing_component',
    ),
    custom(
      {
        name: 'negative: created 301 s before now (stale)',
        key: 'test-hmac',
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        created: NOW - 301,
        nonce: 'neg-stale-5e8a1c7f',
        covered: ['@method', '@authority', '@path', '@query'],
        alg: 'hmac-sha256',
      },
      'stale',
    ),
    custom(
      {
        name: 'negative: created 301 s after now (future)',
        key: 'test-ed25519',
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        created: NOW + 301,
        nonce: 'neg-future-2b6d9f0c',
        covered: ['@method', '@authority', '@path', '@query'],
        alg: 'ed25519',
      },
      'future',
    ),
    custom(
      {
        name: 'negative: alg hmac-sha256 with the keyid of an ed25519 key',
        key: 'test-ed25519',
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        nonce: 'neg-alg-mix-6f1e3a8d',
        covered: ['@method', '@authority', '@path', '@query'],
        alg: 'hmac-sha256',
      },
      'alg_not_allowed',
    ),
    custom(
      {
        name: 'negative: an algorithm outside the allowlist (rsa-pss-sha512)',
        key: 'test-hmac',
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        nonce: 'neg-alg-list-0c7b2e9f',
        covered: ['@method', '@authority', '@path', '@query'],
        alg: 'rsa-pss-sha512',
      },
      'alg_not_allowed',
    ),
  ];
  return {
    description:
      'Golden test vectors of the Portico RFC 9421 signed-request profile (see README.md). TEST KEYS ONLY.',
    keys: TEST_KEYS,
    vectors,
  };
}

export function goldenVectorsJson(): string {
  return `${JSON.stringify(buildGoldenVectors(), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(VECTORS_FILE, goldenVectorsJson());
  console.log(`wrote ${path.relative(process.cwd(), VECTORS_FILE)}`);
}
