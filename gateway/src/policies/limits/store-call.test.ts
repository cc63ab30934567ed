// A limiter's rejection and a store's failure are told apart, a synchronous throw included, and the deadline ends
// an operation that never settles.
import { RateLimiterRes } from 'rate-limiter-flexible';
import { callStore } from './store-call';

describe('callStore', () => {
  test('a RateLimiterRes rejection is "limited", never a store error', async () => {
    const res = new RateLimiterRes(0, 1_000, 51);
    expect(await callStore(() => Promise.reject(res), 0)).toEqual({ kind: 'limited', res });
  });

  test.each([
    ['Redis connection is not ready', 'not_ready'],
    ["Stream isn't writeable and enableOfflineQueue options is false", 'not_ready'],
    ['Connection is closed.', 'error'],
  ])('the store error %j is classified as %s', async (message, reason) => {
    expect(await callStore(() => Promise.reject(new Error(message)), 0)).toMatchObject({
      kind: 'store_error',
      reason,
      error: { message },
    });
  });

  test('a synchronous throw and a non-Error rejection are store errors too', async () => {
    const throwing = () => {
      throw new TypeError('boom');
    };
    expect(await callStore(throwing, 0)).toMatchObject({ kind: 'store_error', reason: 'error' });
    expect(await callStore(() => Promise.reject('text'), 0)).toMatchObject({
      kind: 'store_error',
      error: { message: 'text' },
    });
  });

  test('an operation that never settles ends at the deadline as a timeout', async () => {
    const never = () => new Promise<RateLimiterRes>(() => undefined);
    expect(await callStore(never, 5)).toMatchObject({ kind: 'store_error', reason: 'timeout' });
  });
});
