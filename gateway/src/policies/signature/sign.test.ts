// The reference signer round-trips through the verifier for both algorithms and every request shape, and signs
// what the profile requires (always @query, a digest with any body) in the order the README documents.
import { manualClock } from '../../../../internal/src/clock';
import { memoryNonceStore } from './nonce-store';
import { signRequest } from './sign';
import { ed25519TestKey, hmacTestKey, resolverOf, signedRequest } from './testing/signed-requests';
import { createSignatureVerifier } from './verify-signature';

const clock = manualClock('2026-03-01T12:00:00.000Z');
const hmac = hmacTestKey();
const ed = ed25519TestKey();
const verify = createSignatureVerifier({
  resolveKey: resolverOf(hmac, ed),
  nonces: memoryNonceStore({ clock }),
  clock,
  scheme: 'https',
});

describe('signRequest', () => {
  test.each([
    ['GET', 'https://api.portico.example/crm/v1/customers', undefined],
    ['GET', 'https://api.portico.example/crm/v1/customers?limit=10&cursor=abc%3D%3D', undefined],
    ['POST', 'https://api.portico.example/orders/v1/orders', '{"lines":[{"sku":"A","quantity":1}]}'],
    ['PUT', 'http://127.0.0.1:8080/entitlements/v1/grants/gr_1?notify=false', '{"units":5}'],
    ['DELETE', 'https://API.Portico.Example:443/crm/v1/customers/cus_1', undefined],
    ['POST', 'https://api.portico.example/crm/v1/notes', '名前: 李伟'],
  ])('round-trips %s %s through the verifier with both algorithms', async (method, url, body) => {
    for (const key of [hmac, ed]) {
      const request = signedRequest({ key: key.signer, method, url, body, clock });
      const outcome = await verify(request);
      expect({ key: key.signer.algorithm, outcome: outcome.outcome }).toEqual({
        key: key.signer.algorithm,
        outcome: 'valid',
      });
    }
  });

  test('covers @query always, content-digest with a body, then the extra headers, with the profile parameters', () => {
    const signed = signRequest({
      key: hmac.signer,
      method: 'POST',
      url: 'https://api.portico.example/orders/v1/orders',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
      created: 1_772_366_400,
      expires: 1_772_366_460,
      nonce: 'fixed-nonce-1',
      coverHeaders: ['content-type'],
    });
    expect(signed.headers['signature-input']).toBe(
      'sig1=("@method" "@authority" "@path" "@query" "content-digest" "content-type");created=1772366400' +
        `;expires=1772366460;nonce="fixed-nonce-1";keyid="${hmac.signer.keyId}";alg="hmac-sha256"`,
    );
    expect(signed.headers['content-digest']).toBe('sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:');
    expect(signed.headers.signature).toMatch(/^sig1=:[A-Za-z0-9+/]{43}=:$/);
    expect(signed.signatureBase.split('\n').slice(0, 6)).toEqual([
      '"@method": POST',
      '"@authority": api.portico.example',
      '"@path": /orders/v1/orders',
      '"@query": ?',
      '"content-digest": sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:',
      '"content-type": application/json',
    ]);
  });

  test('a sha-512 digest is accepted by the verifier', async () => {
    const request = signedRequest({
      key: ed.signer,
      method: 'POST',
      body: 'x',
      digestAlgorithm: 'sha-512',
      clock,
    });
    expect(request.headers['content-digest']).toMatch(/^sha-512=:/);
    expect((await verify(request)).outcome).toBe('valid');
  });

  test('nonces are random by default', () => {
    const a = signRequest({ key: hmac.signer, method: 'GET', url: 'https://a.example/', clock });
    const b = signRequest({ key: hmac.signer, method: 'GET', url: 'https://a.example/', clock });
    expect(a.headers['signature-input']).not.toBe(b.headers['signature-input']);
  });

  test('refuses to sign without the key material, or a covered header that is not sent', () => {
    const url = 'https://a.example/';
    expect(() => signRequest({ key: { ...ed.signer, privateKey: undefined }, method: 'GET', url })).toThrow(
      'ed25519 needs an Ed25519 private key',
    );
    expect(() => signRequest({ key: hmac.signer, method: 'GET', url, coverHeaders: ['x-absent'] })).toThrow(
      'cannot sign',
    );
  });
});
