// The golden vectors in specs/signatures/vectors.json, which the SDKs' tests share: the committed file is what the
// generator makes (no drift), every vector's signature base is what the verifier builds, every outcome is the
// expected one, and every valid vector is reproduced byte for byte by signRequest.
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import { manualClock } from '../../../../internal/src/clock';
import type { SigningKeyMaterial } from './algorithms';
import { memoryNonceStore } from './nonce-store';
import { signRequest } from './sign';
import { buildSignatureBase, messageFromRequest } from './signature-base';
import { parseSignatureHeaders } from './signature-input';
import {
  buildGoldenVectors,
  signerKey,
  TEST_KEYS,
  VECTORS_FILE,
  type GoldenVector,
  type TestKeyName,
} from './testing/golden-vectors';
import { createSignatureVerifier, type SignedRequest } from './verify-signature';

const file = JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8')) as ReturnType<typeof buildGoldenVectors>;

/** The verifier's key material, from the published keys only (the public half for Ed25519). */
function storedKey(name: TestKeyName): SigningKeyMaterial {
  const key = file.keys[name];
  return key.algorithm === 'hmac-sha256'
    ? { keyId: key.keyid, algorithm: key.algorithm, secret: Buffer.from(key.secret, 'utf8') }
    : {
        keyId: key.keyid,
        algorithm: key.algorithm,
        publicKey: createPublicKey({ key: key.publicKeyJwk, format: 'jwk' }),
      };
}

function received(vector: GoldenVector): SignedRequest {
  const url = new URL(vector.request.url);
  return {
    method: vector.request.method,
    url: url.pathname + url.search,
    headers: vector.request.headers,
    body: vector.request.body === null ? undefined : Buffer.from(vector.request.body, 'utf8'),
  };
}

describe('golden vectors (specs/signatures/vectors.json)', () => {
  test('the committed file is what the generator makes', () => {
    expect(file).toEqual(buildGoldenVectors());
  });

  test('covers both algorithms, valid and refused, and marks its keys as test-only', () => {
    const outcomes = file.vectors.map((v) => `${TEST_KEYS[v.key].algorithm}:${v.expected.outcome}`);
    expect(outcomes).toEqual(expect.arrayContaining(['hmac-sha256:valid', 'ed25519:valid']));
    expect(new Set(file.vectors.map((v) => v.expected.outcome))).toEqual(
      new Set([
        'valid',
        'digest_mismatch',
        'bad_signature',
        'missing_component',
        'stale',
        'future',
        'alg_not_allowed',
      ]),
    );
    expect(Object.values(file.keys).every((k) => k.testOnly)).toBe(true);
  });

  describe.each(file.vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    test('the verifier builds exactly the published signature base', () => {
      const request = received(vector);
      const parsed = parseSignatureHeaders(request.headers['signature-input'], request.headers['signature']);
      if (!parsed.ok) throw new Error(parsed.detail);
      const base = buildSignatureBase(
        messageFromRequest(request, 'https')!,
        parsed.signature.covered,
        parsed.signature.params,
      );
      expect(base).toEqual({ ok: true, base: vector.signatureBase });
    });

    test(`the outcome is ${vector.expected.outcome}`, async () => {
      const clock = manualClock(new Date(vector.now * 1000));
      const keys = new Map<string, SigningKeyMaterial>(
        (['test-hmac', 'test-ed25519'] as const).map((n) => [file.keys[n].keyid, storedKey(n)]),
      );
      const verify = createSignatureVerifier({
        resolveKey: async (keyId) => keys.get(keyId),
        nonces: memoryNonceStore({ clock }),
        clock,
      });
      expect((await verify(received(vector))).outcome).toBe(vector.expected.outcome);
    });

    if (vector.expected.outcome === 'valid') {
      test('signRequest reproduces the published fields', () => {
        const input = parseSignatureHeaders(
          vector.request.headers['signature-input'],
          vector.request.headers['signature'],
        );
        if (!input.ok) throw new Error(input.detail);
        const { created, expires, nonce } = input.signature;
        const extra = input.signature.covered.filter((c) => !c.startsWith('@') && c !== 'content-digest');
        const signed = signRequest({
          method: vector.request.method,
          url: vector.request.url,
          headers: vector.request.headers,
          body: vector.request.body ?? undefined,
          key: signerKey(vector.key),
          created,
          expires,
          nonce,
          coverHeaders: extra,
        });
        expect(signed.signatureBase).toBe(vector.signatureBase);
        for (const [name, value] of Object.entries(signed.headers))
          expect(vector.request.headers[name]).toBe(value);
      });
    }
  });
});
