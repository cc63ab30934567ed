// The fingerprint tells a retry (same method, target and body bytes) from another request under the same key.
import { requestFingerprint } from './fingerprint';

const base = { method: 'POST', target: '/orders/v1/orders', body: Buffer.from('{"sku":"A-1","quantity":2}') };

describe('requestFingerprint', () => {
  test('is stable for the same request, and treats an absent body as an empty one', () => {
    expect(requestFingerprint({ ...base, body: Buffer.from(base.body) })).toBe(requestFingerprint(base));
    expect(requestFingerprint({ ...base, method: 'post' })).toBe(requestFingerprint(base));
    expect(requestFingerprint({ method: 'POST', target: '/x' })).toBe(
      requestFingerprint({ method: 'POST', target: '/x', body: Buffer.alloc(0) }),
    );
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['method', { method: 'PATCH' }],
    ['path', { target: '/orders/v1/orders/ord_1' }],
    ['query', { target: '/orders/v1/orders?expand=items' }],
    ['body', { body: Buffer.from('{"sku":"A-1","quantity":3}') }],
    ['body bytes of the same JSON', { body: Buffer.from('{"quantity":2,"sku":"A-1"}') }],
  ])('differs when the %s differs', (_name, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });
});
