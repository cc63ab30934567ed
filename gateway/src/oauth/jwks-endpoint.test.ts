// The JWKS endpoint's HTTP contract with a stand-in key source: GET and HEAD only, short public caching, and a
// failure to load the keys that nothing caches. (token-endpoint.test.ts verifies real tokens against it.)
import { Writable } from 'node:stream';
import pino from 'pino';
import type { EndpointRequest } from './endpoint';
import { createJwksEndpoint } from './jwks-endpoint';

const SET = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', alg: 'ES256', use: 'sig' }] };

function request(method: string): EndpointRequest {
  return { method, headers: {}, body: Buffer.alloc(0), requestId: 'req_1' };
}

describe('createJwksEndpoint', () => {
  test('GET answers the set as application/json, publicly cacheable for 300 s by default', async () => {
    const answer = await createJwksEndpoint({ currentJwks: async () => SET })(request('GET'));
    expect(answer).toEqual({
      status: 200,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(JSON.stringify(SET))),
        'cache-control': 'public, max-age=300',
      },
      body: JSON.stringify(SET),
    });
  });

  test('HEAD answers the GET headers without the content', async () => {
    const endpoint = createJwksEndpoint({ currentJwks: async () => SET, maxAgeSeconds: 60 });
    const [get, head] = [await endpoint(request('GET')), await endpoint(request('HEAD'))];
    expect(head).toEqual({ ...get, body: '' });
    expect(head.headers['cache-control']).toBe('public, max-age=60');
  });

  test('other methods are a 405 problem with Allow: GET, HEAD', async () => {
    let loads = 0;
    const endpoint = createJwksEndpoint({
      currentJwks: async () => (loads++, SET),
      problemBaseUrl: 'https://docs.portico.test/problems/',
    });
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const answer = await endpoint(request(method));
      expect(answer.status).toBe(405);
      expect(answer.headers).toMatchObject({
        allow: 'GET, HEAD',
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
      });
      expect(JSON.parse(answer.body)).toMatchObject({
        type: 'https://docs.portico.test/problems/method_not_allowed',
        code: 'method_not_allowed',
        requestId: 'req_1',
      });
    }
    expect(loads).toBe(0);
  });

  test('keys that cannot be loaded give a 503 that nothing may cache, and are logged', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    );
    const answer = await createJwksEndpoint({
      currentJwks: async () => {
        throw new Error('database down');
      },
      logger,
    })(request('GET'));
    expect(answer.status).toBe(503);
    expect(answer.headers).toMatchObject({ 'cache-control': 'no-store', 'retry-after': '5' });
    expect(answer.body).not.toContain('database down');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ level: 50, requestId: 'req_1' }]);
  });

  test('refuses a max-age that is not a non-negative integer', () => {
    for (const maxAgeSeconds of [-1, 1.5, Number.NaN]) {
      expect(() => createJwksEndpoint({ currentJwks: async () => SET, maxAgeSeconds })).toThrow(
        /maxAgeSeconds/,
      );
    }
  });
});
