// Issuer key material: ES256 and RS256 keys whose kid is their RFC 7638 thumbprint, public JWKs without a private
// member, and private halves sealed so that they open only under the ring and on the row of their own kid.
import { createHash, randomBytes, sign, verify } from 'node:crypto';
import { createSecretBoxRing, openSecret } from '../domain/secret-box';
import {
  generateIssuerKey,
  issuerKeyContext,
  openIssuerPrivateKey,
  verificationKeyFromJwk,
} from './issuer-key-material';

const ring = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);

describe('issuer key material', () => {
  test.each(['ES256', 'RS256'] as const)('a %s key signs, and its published JWK verifies', (algorithm) => {
    const material = generateIssuerKey(ring, algorithm);
    expect(material.publicJwk).toMatchObject({ kid: material.kid, alg: algorithm, use: 'sig' });
    const privateKey = openIssuerPrivateKey(ring, material.kid, material.privateKeyCiphertext);
    const message = Buffer.from('portico');
    const signature = sign('sha256', message, privateKey);
    expect(verify('sha256', message, verificationKeyFromJwk(material.publicJwk), signature)).toBe(true);
  });

  test.each(['ES256', 'RS256'] as const)('a %s public JWK carries no private member', (algorithm) => {
    const { publicJwk } = generateIssuerKey(ring, algorithm);
    const members = Object.keys(publicJwk).sort();
    expect(members).toEqual(
      algorithm === 'ES256'
        ? ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']
        : ['alg', 'e', 'kid', 'kty', 'n', 'use'],
    );
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(publicJwk).not.toHaveProperty(member);
  });

  test('the kid is the RFC 7638 thumbprint of the public key', () => {
    const { publicJwk, kid } = generateIssuerKey(ring, 'ES256');
    if (publicJwk.kty !== 'EC') throw new Error('expected EC');
    const canonical = `{"crv":"P-256","kty":"EC","x":"${publicJwk.x}","y":"${publicJwk.y}"}`;
    expect(kid).toBe(createHash('sha256').update(canonical).digest('base64url'));
    expect(generateIssuerKey(ring, 'ES256').kid).not.toBe(kid);
  });

  test('the private key is stored only sealed, bound to its kid', () => {
    const material = generateIssuerKey(ring, 'ES256');
    expect(material.privateKeyCiphertext).toMatch(/^v1:k1:/);
    expect(material.privateKeyCiphertext).not.toContain('PRIVATE KEY');
    expect(material.encryptionKeyId).toBe('k1');
    const other = generateIssuerKey(ring, 'ES256');
    // A ciphertext copied onto another key's row does not open there.
    expect(openSecret(ring, material.privateKeyCiphertext, issuerKeyContext(other.kid))).toEqual({
      ok: false,
      reason: 'rejected',
    });
    expect(() => openIssuerPrivateKey(ring, other.kid, material.privateKeyCiphertext)).toThrow(/rejected/);
    const otherRing = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
    expect(() => openIssuerPrivateKey(otherRing, material.kid, material.privateKeyCiphertext)).toThrow();
  });
});
