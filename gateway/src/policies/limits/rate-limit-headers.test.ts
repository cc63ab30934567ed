// The RateLimit fields come out exactly as DESIGN.md shows them, name the policy closest to exhaustion, and stay
// parseable Structured Fields whatever an operator names a plan's limits.
import {
  closestToExhaustion,
  formatRateLimit,
  formatRateLimitPolicy,
  rateLimitHeaders,
} from './rate-limit-headers';

const FREE = [
  { name: 'burst', quota: 50, windowSeconds: 1 },
  { name: 'day', quota: 10_000, windowSeconds: 86_400 },
];

describe('RateLimit headers', () => {
  test('formats DESIGN.md’s example byte for byte', () => {
    expect(formatRateLimitPolicy(FREE)).toBe('"burst";q=50;w=1, "day";q=10000;w=86400');
    expect(formatRateLimit({ name: 'day', remaining: 9876, resetSeconds: 3600 })).toBe('"day";r=9876;t=3600');
  });

  test('reports the policy leaving the fewest requests per second, as in DESIGN.md', () => {
    const known = [
      { name: 'burst', remaining: 49, resetSeconds: 1 },
      { name: 'day', remaining: 9876, resetSeconds: 3600 },
    ];
    expect(rateLimitHeaders(FREE, known)).toEqual({
      'RateLimit-Policy': '"burst";q=50;w=1, "day";q=10000;w=86400',
      RateLimit: '"day";r=9876;t=3600',
    });
  });

  test('a nearly spent burst is reported over a roomy day (draft Appendix B.1.2: the closest limit to reach)', () => {
    const known = [
      { name: 'burst', remaining: 1, resetSeconds: 1 },
      { name: 'day', remaining: 9876, resetSeconds: 3600 },
    ];
    expect(closestToExhaustion(known)?.name).toBe('burst');
  });

  test('between two exhausted policies the longer wait is reported', () => {
    const known = [
      { name: 'burst', remaining: 0, resetSeconds: 1 },
      { name: 'day', remaining: 0, resetSeconds: 5000 },
    ];
    expect(closestToExhaustion(known)).toEqual({ name: 'day', remaining: 0, resetSeconds: 5000 });
  });

  test('a forced item (a 429) wins over the computed one', () => {
    const headers = rateLimitHeaders(FREE, [{ name: 'day', remaining: 10, resetSeconds: 60 }], {
      name: 'burst',
      remaining: 0,
      resetSeconds: 1,
    });
    expect(headers['RateLimit']).toBe('"burst";r=0;t=1');
  });

  test('no policies → no fields (RateLimit-Policy must be a non-empty List); unknown state → no RateLimit', () => {
    expect(rateLimitHeaders([], [])).toEqual({});
    expect(rateLimitHeaders(FREE, [])).toEqual({
      'RateLimit-Policy': '"burst";q=50;w=1, "day";q=10000;w=86400',
    });
  });

  test.each([
    ['quote"and\\backslash', '"quote\\"and\\\\backslash";q=1;w=60'],
    ['tägliche', '"t?gliche";q=1;w=60'],
    ['line\nbreak', '"line?break";q=1;w=60'],
  ])('escapes a policy named %j into a valid sf-string', (name, expected) => {
    expect(formatRateLimitPolicy([{ name, quota: 1, windowSeconds: 60 }])).toBe(expected);
  });

  test('integers are whole, non-negative and within the 15 digits of RFC 9651', () => {
    expect(formatRateLimit({ name: 'x', remaining: -3, resetSeconds: 1.7 })).toBe('"x";r=0;t=1');
    expect(formatRateLimitPolicy([{ name: 'x', quota: 1e20, windowSeconds: 0 }])).toBe(
      '"x";q=999999999999999;w=1',
    );
  });
});
