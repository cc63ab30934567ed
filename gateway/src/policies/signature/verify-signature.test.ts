// The verifier's outcomes for the DESIGN.md profile: valid signatures of both algorithms, and each refusal —
// replay, skew both ways, expiry, missing components, algorithm confusion, tampering, unknown keys, store failure.
import { manualClock } from '../../../../internal/src/clock';
import type { SignatureAlgorithm } from './algorithms';
import { contentDigest } from './content-digest';
import { memoryNonceStore, type NonceStore } from './nonce-store';
import {
  ed25519TestKey,
  hmacTestKey,
  profileParams,
  resolverOf,
  signComponents,
  signedRequest,
} from './testing/signed-requests';
import { createSignatureVerifier, type SignedRequest } from './verify-signature';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const URL_WITH_QUERY = 'https://api.portico.example/crm/v1/customers?limit=10';
const hmac = hmacTestKey();
const ed = ed25519TestKey();

function verifier(overrides: { nonces?: NonceStore; algorithms?: SignatureAlgorithm[]; skew?: number } = {}) {
  const clock = manualClock(new Date(NOW * 1000));
  const verify = createSignatureVerifier({
    resolveKey: resolverOf(hmac, ed),
    nonces: overrides.nonces ?? memoryNonceStore({ clock }),
    clock,
    ...(overrides.algorithms ? { algorithms: overrides.algorithms } : {}),
    ...(overrides.skew !== undefined ? { maxSkewSeconds: overrides.skew } : {}),
  });
  return { verify, clock };
}

function flipFirstByte(signatureField: string): string {
  const bytes = Buffer.from(/:(.*):/.exec(signatureField)![1]!, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  return `sig1=:${bytes.toString('base64')}:`;
}

const post = (key = hmac, created = NOW) =>
  signedRequest({ key: key.signer, method: 'POST', url: URL_WITH_QUERY, body: '{"name":"Jade"}', created });

describe('createSignatureVerifier', () => {
  test.each([
    ['hmac-sha256', hmac],
    ['ed25519', ed],
  ])('accepts a valid %s signature and returns the key without its material', async (_alg, key) => {
    const { verify } = verifier();
    const outcome = await verify(post(key));
    expect(outcome).toEqual({
      outcome: 'valid',
      key: { keyId: key.stored.keyId, algorithm: key.stored.algorithm, appId: key.stored.appId },
    });
  });

  test('refuses a replayed nonce; the same nonce under another keyid is a different pair', async () => {
    const { verify } = verifier();
    const request = post();
    expect((await verify(request)).outcome).toBe('valid');
    expect((await verify(request)).outcome).toBe('replayed');
    const nonce = /nonce="([^"]+)"/.exec(request.headers['signature-input'] as string)![1];
    const other = signedRequest({ key: ed.signer, method: 'GET', created: NOW, nonce });
    expect((await verify(other)).outcome).toBe('valid');
  });

  test.each([
    [-300, 'valid'],
    [300, 'valid'],
    [-301, 'stale'],
    [301, 'future'],
  ])('created %i s from now is %s (±300 s both ways)', async (offset, expected) => {
    const { verify } = verifier();
    expect((await verify(post(hmac, NOW + offset))).outcome).toBe(expected);
  });

  test('the skew is configurable', async () => {
    const { verify } = verifier({ skew: 30 });
    expect((await verify(post(hmac, NOW - 31))).outcome).toBe('stale');
    expect((await verify(post(hmac, NOW + 30))).outcome).toBe('valid');
  });

  test('expires is honoured when present', async () => {
    const { verify, clock } = verifier();
    const request = signedRequest({ key: hmac.signer, method: 'GET', created: NOW - 10, expires: NOW - 1 });
    expect((await verify(request)).outcome).toBe('expired');
    const later = signedRequest({ key: hmac.signer, method: 'GET', created: NOW, expires: NOW + 5 });
    clock.advance(5_000);
    expect((await verify(later)).outcome).toBe('valid');
  });

  test.each([
    ['@method', 'GET', 'https://api.portico.example/crm/v1/customers', undefined],
    ['@authority', 'GET', 'https://api.portico.example/crm/v1/customers', undefined],
    ['@path', 'GET', 'https://api.portico.example/crm/v1/customers', undefined],
    ['@query', 'GET', URL_WITH_QUERY, undefined],
    ['content-digest', 'POST', 'https://api.portico.example/crm/v1/customers', '{"a":1}'],
  ])('refuses a signature that does not cover %s', async (left, method, url, body) => {
    const { verify } = verifier();
    const covered = ['@method', '@authority', '@path', '@query', 'content-digest'].filter(
      (c) => c !== left && (c !== 'content-digest' || body !== undefined),
    );
    const request = signComponents({
      key: hmac.signer,
      method,
      url,
      body,
      covered,
      params: profileParams(hmac.signer, NOW),
    });
    expect(await verify(request)).toEqual({ outcome: 'missing_component', detail: left });
  });

  test('does not require @query without a query, nor content-digest without a body', async () => {
    const { verify } = verifier();
    const request = signComponents({
      key: ed.signer,
      method: 'DELETE',
      url: 'https://api.portico.example/crm/v1/customers/cus_1',
      covered: ['@method', '@authority', '@path'],
      params: profileParams(ed.signer, NOW),
    });
    expect((await verify(request)).outcome).toBe('valid');
  });

  test.each(['created', 'nonce', 'keyid', 'alg'])(
    'refuses a signature without the %s parameter',
    async (name) => {
      const { verify } = verifier();
      const request = signComponents({
        key: hmac.signer,
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        covered: ['@method', '@authority', '@path', '@query'],
        params: profileParams(hmac.signer, NOW).filter(([param]) => param !== name),
      });
      expect(await verify(request)).toEqual({ outcome: 'missing_component', detail: `parameter ${name}` });
    },
  );

  test('the algorithm comes from the allowlist and the key, never from the message alone', async () => {
    const { verify } = verifier();
    const signAs = (key: typeof hmac, alg: string, keyid = key.signer.keyId) =>
      signComponents({
        key: key.signer,
        method: 'GET',
        url: 'https://api.portico.example/crm/v1/customers',
        covered: ['@method', '@authority', '@path', '@query'],
        params: profileParams(key.signer, NOW).map(([n, v]) =>
          n === 'alg'
            ? [n, { type: 'string', value: alg }]
            : n === 'keyid'
              ? [n, { type: 'string', value: keyid }]
              : [n, v],
        ),
      });
    expect((await verify(signAs(hmac, 'rsa-pss-sha512'))).outcome).toBe('alg_not_allowed');
    expect((await verify(signAs(ed, 'hmac-sha256'))).outcome).toBe('alg_not_allowed');
    // The classic confusion: an HMAC keyed with the Ed25519 key's public bytes, sent under that key's id.
    const publicBytes = ed.stored.publicKey!.export({ format: 'der', type: 'spki' });
    const forger = {
      signer: { keyId: ed.signer.keyId, algorithm: 'hmac-sha256' as const, secret: publicBytes },
    };
    expect((await verify(signAs(forger as typeof hmac, 'hmac-sha256'))).outcome).toBe('alg_not_allowed');
    const edOnly = verifier({ algorithms: ['ed25519'] });
    expect((await edOnly.verify(post(hmac))).outcome).toBe('alg_not_allowed');
    expect((await edOnly.verify(post(ed))).outcome).toBe('valid');
  });

  test('a changed body fails its digest; a changed body with a new digest fails the signature', async () => {
    const { verify } = verifier();
    const tampered = { ...post(), body: Buffer.from('{"name":"Mallory"}') };
    expect((await verify(tampered)).outcome).toBe('digest_mismatch');
    const redigested = {
      ...tampered,
      headers: { ...tampered.headers, 'content-digest': contentDigest(tampered.body) },
    };
    expect((await verify(redigested)).outcome).toBe('bad_signature');
  });

  test.each<[string, (r: SignedRequest) => SignedRequest]>([
    ['method', (r) => ({ ...r, method: 'PUT' })],
    ['path', (r) => ({ ...r, url: r.url.replace('customers', 'contacts') })],
    ['query', (r) => ({ ...r, url: r.url.replace('limit=10', 'limit=1000') })],
    ['authority', (r) => ({ ...r, headers: { ...r.headers, host: 'evil.example' } })],
    [
      'signature',
      (r) => ({ ...r, headers: { ...r.headers, signature: flipFirstByte(r.headers.signature as string) } }),
    ],
  ])('refuses a request whose %s changed after signing', async (_what, change) => {
    const { verify } = verifier();
    expect((await verify(change(post(ed)))).outcome).toBe('bad_signature');
  });

  test('an unknown keyid is unknown_key', async () => {
    const { verify } = verifier();
    const stranger = hmacTestKey('sig_stranger');
    expect(await verify(post(stranger))).toEqual({ outcome: 'unknown_key' });
  });

  test('@authority ignores case and the default port of the scheme', async () => {
    const { verify } = verifier();
    const request = post();
    expect(
      (await verify({ ...request, headers: { ...request.headers, host: 'API.Portico.Example:443' } }))
        .outcome,
    ).toBe('valid');
  });

  test('a refused request does not spend its nonce', async () => {
    const { verify } = verifier();
    const request = post();
    expect((await verify({ ...request, body: Buffer.from('{}') })).outcome).toBe('digest_mismatch');
    expect((await verify(request)).outcome).toBe('valid');
  });

  test('fails closed when the nonce store cannot answer', async () => {
    const down: NonceStore = { remember: () => Promise.reject(new Error('connection is closed')) };
    const { verify } = verifier({ nonces: down });
    expect(await verify(post())).toEqual({
      outcome: 'nonce_store_unavailable',
      detail: 'connection is closed',
    });
  });

  test('remembers the nonce until created leaves the window, and no longer', async () => {
    const ttls: number[] = [];
    const recording: NonceStore = { remember: async (_k, _n, ttlMs) => (ttls.push(ttlMs), true) };
    const { verify } = verifier({ nonces: recording });
    await verify(post(hmac, NOW));
    await verify(post(hmac, NOW - 300));
    await verify(post(hmac, NOW + 300));
    expect(ttls).toEqual([301_000, 1_000, 601_000]);
  });
});
