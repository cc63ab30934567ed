// The limits policy on the in-memory store, with time moved by a manual clock: rate limits and quotas admit exactly
// their allowance and reset at their window's end, a refused request spends no quota, and the per-IP limits run
// before authentication without touching any app's counters.
import { manualClock } from '../../../../internal/src/clock';
import { renderProblem } from '../../../../internal/src/problem/problem';
import type { LimitDecision } from './limit-decisions';
import { createLimits, type PlanLimits } from './limits';

const FREE: PlanLimits = {
  rateLimits: [{ name: 'burst', limit: 50, windowSeconds: 1 }],
  quotas: [{ name: 'day', limit: 10_000, period: 'day' }],
};

function setUp(start = '2026-01-01T23:00:00.000Z', extra: Parameters<typeof createLimits>[0] | object = {}) {
  const clock = manualClock(start);
  const limits = createLimits({ clock, ...extra });
  return { clock, limits };
}

async function consumeMany(times: number, run: () => Promise<LimitDecision>): Promise<LimitDecision[]> {
  return Promise.all(Array.from({ length: times }, run));
}

const outcomes = (decisions: LimitDecision[]) => decisions.map((d) => d.outcome);

describe('limits (memory store)', () => {
  test('every admitted response carries the plan’s policies and the limit closest to exhaustion', async () => {
    const { limits } = setUp();
    const decision = await limits.consume('app_1', FREE);
    expect(decision).toEqual({
      outcome: 'admitted',
      headers: {
        'RateLimit-Policy': '"burst";q=50;w=1, "day";q=10000;w=86400',
        RateLimit: '"day";r=9999;t=3600',
      },
    });
  });

  test('a rate limit admits its limit per window, answers 429 with Retry-After, and resets with the window', async () => {
    const { clock, limits } = setUp('2026-01-01T10:00:00.000Z');
    const plan: PlanLimits = { rateLimits: [{ name: 'minute', limit: 3, windowSeconds: 60 }], quotas: [] };
    clock.advance(45_000);
    expect(outcomes(await consumeMany(3, () => limits.consume('app_1', plan)))).toEqual(
      Array(3).fill('admitted'),
    );
    const refused = await limits.consume('app_1', plan);
    if (refused.outcome !== 'limited') throw new Error(`expected limited, got ${refused.outcome}`);
    expect(refused.violated).toEqual({ kind: 'rate_limit', name: 'minute', limit: 3, windowSeconds: 60 });
    expect(refused.retryAfterSeconds).toBe(15);
    expect(refused.problem.status).toBe(429);
    expect(refused.problem.options.headers).toEqual({
      'RateLimit-Policy': '"minute";q=3;w=60',
      RateLimit: '"minute";r=0;t=15',
      'Retry-After': '15',
    });
    expect(renderProblem(refused.problem, { baseUrl: 'https://portico.dev/problems/' })).toMatchObject({
      code: 'rate_limited',
      status: 429,
      'violated-policies': ['minute'],
    });
    // Another app has its own counters.
    expect((await limits.consume('app_2', plan)).outcome).toBe('admitted');
    clock.advance(15_000);
    expect(await limits.consume('app_1', plan)).toMatchObject({
      outcome: 'admitted',
      headers: { RateLimit: '"minute";r=2;t=60' },
    });
  });

  test('a request refused by a rate limit spends no quota', async () => {
    const { limits } = setUp();
    const plan: PlanLimits = {
      rateLimits: [{ name: 'burst', limit: 2, windowSeconds: 1 }],
      quotas: [{ name: 'day', limit: 100, period: 'day' }],
    };
    const decisions = await consumeMany(5, () => limits.consume('app_1', plan));
    expect(outcomes(decisions).filter((o) => o === 'admitted')).toHaveLength(2);
    expect((await limits.readQuotaUsage('app_1', plan))[0]).toMatchObject({ used: 2, remaining: 98 });
  });

  test('a daily quota admits exactly its limit of concurrent requests and renews at 00:00 UTC', async () => {
    const { clock, limits } = setUp('2026-01-01T23:59:58.500Z');
    const plan: PlanLimits = { rateLimits: [], quotas: [{ name: 'day', limit: 100, period: 'day' }] };
    const decisions = await consumeMany(500, () => limits.consume('app_1', plan));
    expect(outcomes(decisions).filter((o) => o === 'admitted')).toHaveLength(100);
    const refused = decisions.find((d) => d.outcome === 'limited');
    expect(refused).toMatchObject({
      retryAfterSeconds: 2,
      violated: { kind: 'quota', name: 'day', limit: 100, windowSeconds: 86_400, period: 'day' },
      headers: { RateLimit: '"day";r=0;t=2', 'Retry-After': '2' },
    });
    expect(await limits.readQuotaUsage('app_1', plan)).toEqual([
      {
        name: 'day',
        period: 'day',
        limit: 100,
        used: 100,
        remaining: 0,
        periodStart: '2026-01-01T00:00:00.000Z',
        resetsAt: '2026-01-02T00:00:00.000Z',
      },
    ]);
    clock.advance(1_500);
    expect((await limits.consume('app_1', plan)).outcome).toBe('admitted');
    expect((await limits.readQuotaUsage('app_1', plan))[0]).toMatchObject({
      used: 1,
      resetsAt: '2026-01-03T00:00:00.000Z',
    });
  });

  test('a monthly quota spans the days; a request it refuses gives back the daily unit it took', async () => {
    const { clock, limits } = setUp('2026-01-30T12:00:00.000Z');
    const plan: PlanLimits = {
      rateLimits: [],
      quotas: [
        { name: 'month', limit: 5, period: 'month' },
        { name: 'day', limit: 3, period: 'day' },
      ],
    };
    expect(outcomes(await consumeMany(4, () => limits.consume('app_1', plan)))).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'limited',
    ]);
    clock.set('2026-01-31T12:00:00.000Z');
    const second = await consumeMany(3, () => limits.consume('app_1', plan));
    expect(outcomes(second)).toEqual(['admitted', 'admitted', 'limited']);
    expect(second[2]).toMatchObject({ violated: { name: 'month' }, retryAfterSeconds: 12 * 3600 });
    expect(second[1]!.headers['RateLimit-Policy']).toBe('"month";q=5;w=2678400, "day";q=3;w=86400');
    const usage = await limits.readQuotaUsage('app_1', plan);
    expect(usage.map((u) => [u.name, u.used])).toEqual([
      ['day', 2],
      ['month', 5],
    ]);
    clock.set('2026-02-01T00:00:00.000Z');
    expect((await limits.consume('app_1', plan)).outcome).toBe('admitted');
  });

  test('a monthly count outlives the 24.8-day limit of Node timers in the memory store', async () => {
    jest.useFakeTimers();
    try {
      const { limits } = setUp('2026-01-01T00:00:00.000Z');
      const plan: PlanLimits = { rateLimits: [], quotas: [{ name: 'month', limit: 2, period: 'month' }] };
      await consumeMany(2, () => limits.consume('app_1', plan));
      // A timer past 2^31-1 ms would fire after 1 ms and wipe the count.
      jest.advanceTimersByTime(60_000);
      expect((await limits.consume('app_1', plan)).outcome).toBe('limited');
    } finally {
      jest.useRealTimers();
    }
  });

  test('a plan without limits admits with no RateLimit fields', async () => {
    const { limits } = setUp();
    expect(await limits.consume('app_1', { rateLimits: [], quotas: [] })).toEqual({
      outcome: 'admitted',
      headers: {},
    });
  });

  test('the per-IP limiter refuses a flood before authentication, and never touches app counters', async () => {
    const { clock, limits } = setUp('2026-01-01T00:00:00.000Z', { preAuth: { limit: 2, windowSeconds: 10 } });
    expect(await limits.consumePreAuth('203.0.113.9')).toEqual({
      outcome: 'admitted',
      headers: { 'RateLimit-Policy': '"ip";q=2;w=10', RateLimit: '"ip";r=1;t=10' },
    });
    await limits.consumePreAuth('203.0.113.9');
    const refused = await limits.consumePreAuth('203.0.113.9');
    expect(refused).toMatchObject({
      outcome: 'limited',
      violated: { kind: 'pre_auth', name: 'ip' },
      retryAfterSeconds: 10,
    });
    expect((await limits.consumePreAuth('198.51.100.4')).outcome).toBe('admitted');
    clock.advance(10_000);
    expect((await limits.consumePreAuth('203.0.113.9')).outcome).toBe('admitted');
    expect(await limits.readQuotaUsage('app_1', FREE)).toMatchObject([{ used: 0 }]);
  });

  test('repeated failed authentications block the address before authentication; the named app spends nothing', async () => {
    const { clock, limits } = setUp('2026-01-01T00:00:00.000Z', {
      authFailures: { limit: 3, windowSeconds: 60, blockSeconds: 300 },
    });
    // The app's flow for a request whose key fails: pre-auth check, authentication fails, failure recorded.
    for (let i = 0; i < 4; i += 1) {
      expect((await limits.consumePreAuth('203.0.113.9')).outcome).toBe('admitted');
      await limits.recordAuthFailure('203.0.113.9');
    }
    const blocked = await limits.consumePreAuth('203.0.113.9');
    expect(blocked).toMatchObject({
      outcome: 'limited',
      violated: { kind: 'auth_failures' },
      retryAfterSeconds: 300,
      headers: { RateLimit: '"auth-failures";r=0;t=300', 'Retry-After': '300' },
    });
    expect((await limits.consumePreAuth('198.51.100.4')).outcome).toBe('admitted');
    expect(await limits.readQuotaUsage('app_1', FREE)).toMatchObject([{ used: 0 }]);
    clock.advance(300_000);
    expect((await limits.consumePreAuth('203.0.113.9')).outcome).toBe('admitted');
  });

  test('options that cannot work fail at start-up with a readable message', () => {
    const clock = manualClock();
    expect(() => createLimits({ clock, processCount: 0 })).toThrow('processCount must be a positive integer');
    expect(() => createLimits({ clock, preAuth: { limit: 1.5 } })).toThrow('preAuth.limit');
    expect(() => createLimits({ clock, preAuth: false, authFailures: false })).not.toThrow();
  });
});
