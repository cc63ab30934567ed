// The retry policy as pure functions: which answers are worth repeating, how Retry-After is read, and the backoff
// (full jitter below base·2^n, capped), with an injected random so every bound is checked exactly.
import {
  DEFAULT_RETRY,
  isRepeatable,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from './retry-policy';

describe('isRepeatable', () => {
  test.each([
    ['GET', undefined, true],
    ['HEAD', undefined, true],
    ['PUT', undefined, true],
    ['DELETE', undefined, true],
    ['OPTIONS', undefined, true],
    ['POST', undefined, false],
    ['PATCH', undefined, false],
    ['POST', 'key-1', true],
    ['PATCH', 'key-1', true],
  ])('%s with Idempotency-Key %p → %p', (method, key, expected) => {
    expect(isRepeatable(method, key)).toBe(expected);
  });
});

describe('isRetryableStatus', () => {
  const none = new Headers();
  test.each([408, 429, 500, 502, 503, 504, 599])('%i is retried', (status) => {
    expect(isRetryableStatus(status, none, false)).toBe(true);
  });
  test.each([400, 401, 403, 404, 409, 410, 412, 422, 501])('%i is not retried', (status) => {
    expect(isRetryableStatus(status, none, true)).toBe(false);
  });

  test('a 409 with Retry-After is retried only with an Idempotency-Key and only when not a replay', () => {
    expect(isRetryableStatus(409, new Headers({ 'retry-after': '1' }), true)).toBe(true);
    expect(isRetryableStatus(409, new Headers({ 'retry-after': '1' }), false)).toBe(false);
    expect(
      isRetryableStatus(409, new Headers({ 'retry-after': '1', 'idempotent-replayed': 'true' }), true),
    ).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  test.each([
    [null, undefined],
    ['0', 0],
    ['7', 7],
    [' 12 ', 12],
    ['1.5', undefined],
    ['-3', undefined],
    ['soon', undefined],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30],
    ['Wed, 01 Jan 2025 11:59:00 GMT', 0],
    ['Wednesday, 01-Jan-25 12:00:30 GMT', 30],
    ['Wed Jan  1 12:00:30 2025', 30],
  ])('%p → %p', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  test('an HTTP-date a fraction of a second ahead rounds up, never to zero', () => {
    expect(parseRetryAfter(new Date(now + 1000).toUTCString(), now + 400)).toBe(1);
  });
});

describe('retryDelayMs', () => {
  const options = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  test.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
    [10, 1_000],
  ])('retry %i: full jitter from 0 up to %i ms', (retry, ceiling) => {
    expect(retryDelayMs(retry, options, undefined, () => 0)).toBe(0);
    expect(retryDelayMs(retry, options, undefined, () => 0.5)).toBe(ceiling / 2);
    expect(retryDelayMs(retry, options, undefined, () => 0.999999)).toBe(ceiling);
  });

  test('uses the random source for every wait (no fixed part)', () => {
    const draws = [0.1, 0.9, 0.3];
    const delays = draws.map((value) => retryDelayMs(2, options, undefined, () => value));
    expect(delays).toEqual([40, 360, 120]);
  });

  test('Retry-After is obeyed exactly, ignoring jitter, when it fits in maxDelayMs', () => {
    expect(retryDelayMs(0, options, 1, () => 0)).toBe(1_000);
    expect(retryDelayMs(3, options, 0, () => 0.7)).toBe(0);
  });

  test('Retry-After longer than maxDelayMs gives up (undefined)', () => {
    expect(retryDelayMs(0, options, 2, () => 0)).toBeUndefined();
    expect(retryDelayMs(0, DEFAULT_RETRY, 9, () => 0)).toBeUndefined();
  });

  test('the defaults are 2 retries, 250 ms base and an 8 s cap', () => {
    expect(DEFAULT_RETRY).toEqual({ maxRetries: 2, baseDelayMs: 250, maxDelayMs: 8_000 });
  });
});
