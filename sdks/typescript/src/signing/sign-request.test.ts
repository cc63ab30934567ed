// The signer against the golden vectors the gateway's verifier shares (specs/signatures/vectors.json): with each
// valid vector's created, expires, nonce and covered headers, the signature base, Content-Digest, Signature-Input
// and Signature must be byte-identical (HMAC-SHA256 and Ed25519 are deterministic).
import fs from 'node:fs';
import path from 'node:path';
import { createRequestSigner, newNonce, type SigningKey } from './sign-request';

interface Vector {
  name: string;
  key: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string | null };
  signatureBase: string;
  expected: { outcome: string };
}
const golden = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../../specs/signatures/vectors.json'), 'utf8'),
) as {
  keys: Record<string, { keyid: string; algorithm: string; secret?: string; privateKeyJwk?: SigningKey }>;
  vectors: Vector[];
};

function keyFor(name: string): SigningKey {
  const key = golden.keys[name]!;
  return key.algorithm === 'hmac-sha256'
    ? { keyId: key.keyid, algorithm: 'hmac-sha256', secret: key.secret! }
    : { keyId: key.keyid, algorithm: 'ed25519', privateKey: key.privateKeyJwk as never };
}

/** The parameters a vector's Signature-Input used, to sign the same request again. */
function parametersOf(vector: Vector) {
  const input = vector.request.headers['signature-input']!;
  const match = /^(\w+)=\(([^)]*)\)(.*)$/.exec(input)!;
  const param = (name: string) => new RegExp(`;${name}=("?)([^;"]+)\\1`).exec(match[3]!)?.[2];
  const components = [...match[2]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  return {
    label: match[1]!,
    created: Number(param('created')),
    ...(param('expires') ? { expires: Number(param('expires')) } : {}),
    nonce: param('nonce')!,
    coveredHeaders: components.filter((c) => !c.startsWith('@') && c !== 'content-digest'),
  };
}

const valid = golden.vectors.filter((v) => v.expected.outcome === 'valid');

describe('createRequestSigner against the golden vectors', () => {
  test('there are valid vectors for both algorithms', () => {
    expect(new Set(valid.map((v) => golden.keys[v.key]!.algorithm))).toEqual(
      new Set(['hmac-sha256', 'ed25519']),
    );
  });

  test.each(valid.map((v) => [v.name, v] as const))('%s', async (_, vector) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(vector.request.headers)) {
      if (!['signature', 'signature-input', 'content-digest', 'host'].includes(name))
        headers.set(name, value);
    }
    const request = {
      method: vector.request.method,
      url: new URL(vector.request.url),
      headers,
      body: vector.request.body === null ? undefined : new TextEncoder().encode(vector.request.body),
    };
    const base = await createRequestSigner(keyFor(vector.key)).sign(request, parametersOf(vector));
    expect(base).toBe(vector.signatureBase);
    expect(headers.get('signature-input')).toBe(vector.request.headers['signature-input']);
    expect(headers.get('signature')).toBe(vector.request.headers['signature']);
    expect(headers.get('content-digest')).toBe(vector.request.headers['content-digest'] ?? null);
  });

  test('a changed body changes the digest and the signature', async () => {
    const vector = valid.find((v) => v.request.body !== null)!;
    const headers = new Headers({ 'content-type': 'application/json' });
    await createRequestSigner(keyFor(vector.key)).sign(
      {
        method: vector.request.method,
        url: new URL(vector.request.url),
        headers,
        body: new TextEncoder().encode('{}'),
      },
      parametersOf(vector),
    );
    expect(headers.get('content-digest')).not.toBe(vector.request.headers['content-digest']);
    expect(headers.get('signature')).not.toBe(vector.request.headers['signature']);
  });

  test('refuses a nonce or key id that is not an RFC 8941 string, and a covered header that is absent', async () => {
    const signer = createRequestSigner({ keyId: 'sig_x', algorithm: 'hmac-sha256', secret: 's' });
    const request = {
      method: 'GET',
      url: new URL('https://a.example/x'),
      headers: new Headers(),
      body: undefined,
    };
    await expect(signer.sign(request, { created: 1, nonce: 'naïve-nonce' })).rejects.toThrow(/RFC 8941/);
    await expect(
      signer.sign(request, { created: 1, nonce: 'abcdefgh', coveredHeaders: ['x-absent'] }),
    ).rejects.toThrow(/no x-absent header/);
  });

  test('newNonce is 16 random bytes in base64url, different each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
