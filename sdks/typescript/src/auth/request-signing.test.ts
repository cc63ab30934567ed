// Signed requests through createPortico and an injected fetch: every attempt, retries included, carries its own
// nonce and a signature computed for exactly what was sent; Content-Digest exactly when there is a body. (The
// signature bytes themselves are pinned by the golden vectors in signing/sign-request.test.ts.)
import { createHash, createHmac, type webcrypto } from 'node:crypto';
import { createPortico, type PorticoOptions } from '../portico';
import { createRequestSigner, type SigningKey } from '../signing/sign-request';
import { connectionError, fakeFetch, json, problem, type RecordedRequest } from '../testing/fake-fetch';

const HMAC_KEY = { keyId: 'sig_01TESTKEY', algorithm: 'hmac-sha256', secret: 'pts_test_s3cr3t' } as const;

function portico(fetch: ReturnType<typeof fakeFetch>, signing: PorticoOptions['signing'] = HMAC_KEY) {
  return createPortico({ signing, fetch, retry: { baseDelayMs: 1 } });
}

interface SignatureInput {
  components: string[];
  created: number;
  expires: number | undefined;
  nonce: string;
  keyid: string;
  alg: string;
}

function signatureInput(request: RecordedRequest): SignatureInput {
  const match = /^sig1=\(([^)]*)\)(.*)$/.exec(request.headers.get('signature-input') ?? '');
  if (!match) throw new Error(`no Signature-Input: ${request.headers.get('signature-input')}`);
  const param = (name: string) => new RegExp(`;${name}=("?)([^;"]+)\\1`).exec(match[2]!)?.[2];
  return {
    components: [...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
    created: Number(param('created')),
    expires: param('expires') === undefined ? undefined : Number(param('expires')),
    nonce: param('nonce')!,
    keyid: param('keyid')!,
    alg: param('alg')!,
  };
}

/** The signature base of a recorded request, as the gateway's verifier would rebuild it from what arrived. */
async function signatureBaseOf(request: RecordedRequest, key: SigningKey): Promise<string> {
  const input = signatureInput(request);
  const headers = new Headers(request.headers);
  for (const name of ['signature', 'signature-input', 'content-digest']) headers.delete(name);
  return createRequestSigner(key).sign(
    { method: request.method, url: request.url, headers, body: request.body },
    {
      created: input.created,
      nonce: input.nonce,
      ...(input.expires !== undefined ? { expires: input.expires } : {}),
      coveredHeaders: input.components.filter((c) => !c.startsWith('@') && c !== 'content-digest'),
    },
  );
}

function hmacSignature(base: string): string {
  return `sig1=:${createHmac('sha256', HMAC_KEY.secret).update(base).digest('base64')}:`;
}

const customer = { id: 'cus_1' };

describe('signed requests', () => {
  test('every attempt of a retried call has its own nonce and a signature of that attempt', async () => {
    const fetch = fakeFetch([connectionError(), problem(503, 'unavailable'), json(200, customer)]);
    const before = Math.floor(Date.now() / 1000);
    const result = await portico(fetch).crm.getCustomer({ params: { path: { customerId: 'cus 1' } } });
    expect(result.data).toEqual(customer);
    expect(fetch.requests).toHaveLength(3);

    const inputs = fetch.requests.map(signatureInput);
    expect(new Set(inputs.map((i) => i.nonce)).size).toBe(3);
    expect(new Set(fetch.requests.map((r) => r.headers.get('signature'))).size).toBe(3);
    for (const [index, request] of fetch.requests.entries()) {
      const input = inputs[index]!;
      expect(input).toMatchObject({
        components: ['@method', '@authority', '@path', '@query'],
        keyid: 'sig_01TESTKEY',
        alg: 'hmac-sha256',
        expires: undefined,
      });
      expect(input.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(input.created).toBeGreaterThanOrEqual(before);
      expect(request.headers.has('content-digest')).toBe(false);
      expect(request.headers.has('x-api-key')).toBe(false);
      expect(request.headers.has('authorization')).toBe(false);
      const base = await signatureBaseOf(request, HMAC_KEY);
      expect(base).toContain('"@path": /crm/v1/customers/cus%201');
      expect(request.headers.get('signature')).toBe(hmacSignature(base));
    }
  });

  test('a body is covered by Content-Digest and content-type, on every attempt', async () => {
    const fetch = fakeFetch([problem(502, 'bad_gateway'), json(201, customer)]);
    const body = { kind: 'person' as const, name: 'Li Wei' };
    await portico(fetch).crm.createCustomer({ body });
    expect(fetch.requests).toHaveLength(2);
    const digest = `sha-256=:${createHash('sha256').update(JSON.stringify(body)).digest('base64')}:`;
    for (const request of fetch.requests) {
      expect(request.headers.get('content-digest')).toBe(digest);
      expect(signatureInput(request).components).toEqual([
        '@method',
        '@authority',
        '@path',
        '@query',
        'content-digest',
        'content-type',
      ]);
      expect(request.headers.get('signature')).toBe(hmacSignature(await signatureBaseOf(request, HMAC_KEY)));
    }
    expect(signatureInput(fetch.requests[0]!).nonce).not.toBe(signatureInput(fetch.requests[1]!).nonce);
  });

  test('the query is signed as sent', async () => {
    const fetch = fakeFetch([json(200, { data: [], hasMore: false, nextCursor: null })]);
    await portico(fetch).crm.listCustomers({ params: { query: { q: 'a b', limit: 5 } } });
    const base = await signatureBaseOf(fetch.requests[0]!, HMAC_KEY);
    expect(base).toContain('"@query": ?q=a+b&limit=5');
    expect(fetch.requests[0]!.headers.get('signature')).toBe(hmacSignature(base));
  });

  test('expiresInSeconds and coveredHeaders are applied', async () => {
    const fetch = fakeFetch([json(200, customer)]);
    await createPortico({
      signing: { ...HMAC_KEY, expiresInSeconds: 60, coveredHeaders: ['X-Tenant'] },
      headers: { 'x-tenant': 't1' },
      fetch,
    }).crm.getCustomer({ params: { path: { customerId: 'cus_1' } } });
    const input = signatureInput(fetch.requests[0]!);
    expect(input.expires).toBe(input.created + 60);
    expect(input.components).toEqual(['@method', '@authority', '@path', '@query', 'x-tenant']);
    expect(fetch.requests[0]!.headers.get('signature')).toBe(
      hmacSignature(await signatureBaseOf(fetch.requests[0]!, HMAC_KEY)),
    );
  });

  test('an Ed25519 key signs so that its public half verifies', async () => {
    const pair = (await crypto.subtle.generateKey('Ed25519', true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const key = {
      keyId: 'sig_01ED',
      algorithm: 'ed25519',
      privateKey: { kty: 'OKP', crv: 'Ed25519', d: jwk.d!, x: jwk.x! },
    } as const;
    const fetch = fakeFetch([problem(500, 'internal_error'), json(201, customer)]);
    await portico(fetch, key).crm.createCustomer({ body: { kind: 'person', name: 'Li Wei' } });
    expect(fetch.requests).toHaveLength(2);
    for (const request of fetch.requests) {
      expect(signatureInput(request).alg).toBe('ed25519');
      const base = await signatureBaseOf(request, key);
      const signature = Buffer.from(/^sig1=:(.*):$/.exec(request.headers.get('signature')!)![1]!, 'base64');
      await expect(
        crypto.subtle.verify('Ed25519', pair.publicKey, signature, new TextEncoder().encode(base)),
      ).resolves.toBe(true);
    }
  });

  test('a key id that is not a signing key id is refused at construction', () => {
    expect(() => portico(fakeFetch([]), { ...HMAC_KEY, keyId: 'key_01' })).toThrow(TypeError);
    expect(() => portico(fakeFetch([]), { ...HMAC_KEY, keyId: 'sig_' })).toThrow(TypeError);
  });

  test('a request the signer cannot sign rejects with its TypeError, no attempt and no retry', async () => {
    const fetch = fakeFetch([json(200, customer)]);
    const client = createPortico({ signing: { ...HMAC_KEY, coveredHeaders: ['x-absent'] }, fetch });
    await expect(client.crm.getCustomer({ params: { path: { customerId: 'cus_1' } } })).rejects.toThrow(
      new TypeError('Cannot sign: the request has no x-absent header'),
    );
    expect(fetch.requests).toHaveLength(0);
  });
});

describe('a skewed client clock', () => {
  const local = Date.parse('2026-11-25T08:00:00Z');
  const at = (ms: number) => ({ date: new Date(ms).toUTCString() });
  const customer = { id: 'cus_1' };
  const client = (fetch: ReturnType<typeof fakeFetch>) =>
    createPortico({ signing: HMAC_KEY, fetch, now: () => local, retry: { baseDelayMs: 1 } });
  const get = (c: ReturnType<typeof client>) =>
    c.crm.getCustomer({ params: { path: { customerId: 'cus_1' } } });
  const created = (fetch: ReturnType<typeof fakeFetch>) =>
    fetch.requests.map((r) => signatureInput(r).created);

  test('a 401 whose Date shows the gateway 10 min ahead is signed again with its clock, once; later calls keep it', async () => {
    const gateway = local + 600_000;
    const fetch = fakeFetch([
      problem(401, 'unauthenticated', at(gateway)),
      json(200, customer, at(gateway)),
      json(200, customer, at(gateway)),
    ]);
    const c = client(fetch);
    expect((await get(c)).error).toBeUndefined();
    expect((await get(c)).error).toBeUndefined();
    expect(created(fetch)).toEqual([local / 1000, gateway / 1000, gateway / 1000]);
    expect(new Set(fetch.requests.map((r) => signatureInput(r).nonce)).size).toBe(3);
  });

  test('a POST without an Idempotency-Key is signed again too: the gateway refused it before forwarding', async () => {
    const gateway = local - 900_000;
    const fetch = fakeFetch([problem(401, 'unauthenticated', at(gateway)), json(200, {}, at(gateway))]);
    const { error } = await client(fetch).entitlements.suspendGrant({
      params: { path: { grantId: 'grt_1' } },
    });
    expect(error).toBeUndefined();
    expect(created(fetch)).toEqual([local / 1000, gateway / 1000]);
  });

  test('a 401 from a gateway whose clock agrees is the error: a new signature would change nothing', async () => {
    const fetch = fakeFetch([problem(401, 'unauthenticated', at(local + 2_000))]);
    const { error } = await get(client(fetch));
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect(fetch.requests).toHaveLength(1);
  });

  test('at most one corrected attempt, even when each answer moves the clock again', async () => {
    const fetch = fakeFetch([
      problem(401, 'unauthenticated', at(local + 600_000)),
      problem(401, 'unauthenticated', at(local + 1_200_000)),
    ]);
    const { error } = await get(client(fetch));
    expect(error).toMatchObject({ status: 401 });
    expect(fetch.requests).toHaveLength(2);
  });

  test('offsets within 30 s (Date has 1 s resolution, answers take time) change nothing', async () => {
    const fetch = fakeFetch([
      json(200, customer, at(local + 25_000)),
      json(200, customer, at(local - 25_000)),
    ]);
    const c = client(fetch);
    await get(c);
    await get(c);
    expect(created(fetch)).toEqual([local / 1000, local / 1000]);
  });
});
