// Windows follow the epoch (rate limits) and the UTC calendar (quotas), whatever time the first request came.
import {
  quotaWindow,
  rateLimitWindow,
  retentionSeconds,
  secondsUntilEnd,
  windowSeconds,
} from './limit-windows';

const at = (iso: string) => new Date(iso).getTime();

describe('limit windows', () => {
  test('a daily quota runs from 00:00 UTC to the next midnight', () => {
    const window = quotaWindow({ period: 'day' }, at('2026-03-14T23:59:59.500Z'));
    expect(window).toEqual({
      id: 'd2026-03-14',
      startMs: at('2026-03-14T00:00:00.000Z'),
      endMs: at('2026-03-15T00:00:00.000Z'),
    });
    expect(secondsUntilEnd(window, at('2026-03-14T23:59:59.500Z'))).toBe(1);
    expect(quotaWindow({ period: 'day' }, at('2026-03-15T00:00:00.000Z')).id).toBe('d2026-03-15');
  });

  test('a monthly quota runs over the calendar month, its length included', () => {
    const december = quotaWindow({ period: 'month' }, at('2026-12-31T23:59:59.999Z'));
    expect(december.id).toBe('m2026-12');
    expect(december.endMs).toBe(at('2027-01-01T00:00:00.000Z'));
    expect(windowSeconds(december)).toBe(31 * 86_400);
    expect(windowSeconds(quotaWindow({ period: 'month' }, at('2028-02-10T00:00:00Z')))).toBe(29 * 86_400);
    expect(quotaWindow({ period: 'month' }, at('2027-01-01T00:00:00.000Z')).id).toBe('m2027-01');
  });

  test('rate-limit windows are aligned to the epoch, so every process agrees on them', () => {
    const now = at('2026-01-01T00:00:30.250Z');
    const minute = rateLimitWindow({ windowSeconds: 60 }, now);
    expect(minute.startMs).toBe(at('2026-01-01T00:00:00.000Z'));
    expect(secondsUntilEnd(minute, now)).toBe(30);
    const second = rateLimitWindow({ windowSeconds: 1 }, now);
    expect(second.startMs).toBe(at('2026-01-01T00:00:30.000Z'));
    expect(rateLimitWindow({ windowSeconds: 1 }, now + 750).id).not.toBe(second.id);
  });

  test('the effective window is never 0 seconds, and counters outlive their window by one more', () => {
    const window = rateLimitWindow({ windowSeconds: 1 }, at('2026-01-01T00:00:00.999Z'));
    expect(secondsUntilEnd(window, at('2026-01-01T00:00:00.999Z'))).toBe(1);
    expect(retentionSeconds(window, at('2026-01-01T00:00:00.999Z'))).toBe(2);
  });
});
