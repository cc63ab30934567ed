// rateLimitOf reads the gateway's RateLimit header as the draft (and specs/common/headers.yaml) write it.
import { rateLimitOf } from './rate-limit';

const withHeader = (value: string | undefined) => ({
  headers: new Headers(value === undefined ? {} : { RateLimit: value }),
});

describe('rateLimitOf', () => {
  test.each([
    ['"day";r=9876;t=3600', { policy: 'day', remaining: 9876, resetSeconds: 3600 }],
    ['"burst";r=0;t=1', { policy: 'burst', remaining: 0, resetSeconds: 1 }],
    ['"day" ; r=5 ; t=60', { policy: 'day', remaining: 5, resetSeconds: 60 }],
    ['"per-address";t=1;r=1999', { policy: 'per-address', remaining: 1999, resetSeconds: 1 }],
    ['"day";r=50;t=3600, "burst";r=3;t=1', { policy: 'burst', remaining: 3, resetSeconds: 1 }],
    ['"a\\"b";r=1;t=2', { policy: 'a"b', remaining: 1, resetSeconds: 2 }],
  ])('%s', (value, expected) => {
    expect(rateLimitOf(withHeader(value))).toEqual(expected);
  });

  test.each([
    undefined,
    '',
    'day;r=1;t=2',
    '"day";r=x;t=2',
    '"day";r=-1;t=2',
    '"day";t=2',
    '"day";r=1.5;t=2',
  ])('%p is undefined', (value) => {
    expect(rateLimitOf(withHeader(value))).toBeUndefined();
  });

  test('no response (a connection error) is undefined', () => {
    expect(rateLimitOf(undefined)).toBeUndefined();
  });
});
