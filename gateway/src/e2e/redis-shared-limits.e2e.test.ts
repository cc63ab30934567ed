// Limits shared through Redis by two gateways (DESIGN.md "Limits"): a daily quota is exact across processes under
// concurrency, and when Redis goes away — cut mid-run through a TCP proxy, as a dead Redis (reset) or a partition
// (blackhole) — no request waits over a second, quotas fail closed (503 + Retry-After), rate limits keep admitting
// through the per-process insurance limiter (limit / N each), and once Redis is back the counting resumes, exact,
// without a restart. Needs REDIS_URL; the gateways reach Redis only through the proxy, other suites never notice.
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningGateway } from '../gateway-process';
import { startTestPlatform, type TestCredential, type TestPlatform } from '../testing/test-platform';
import { eventually } from './testing/eventually';
import { send, type Sent } from './testing/http-send';
import { describeEachVariant } from './testing/platform-variants';
import { nextMinute, noonOfNextDay, runningClock, type RunningClock } from './testing/running-clock';
import { startTcpProxy, type CutMode, type TcpProxy } from './testing/tcp-proxy';

const CUSTOMERS = '/crm/v1/customers';
/** DESIGN.md allows ~100 ms per Redis round trip; a request makes a few. The bound the spec states is 1 s. */
const MAX_WAIT_MS = 1_000;
const GATEWAYS = 2;

interface Answer extends Sent {
  gateway: number;
}

/** `{ '200': n, '429': m, … }`, for one readable expectation on a whole burst. */
function statuses(answers: readonly Sent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  return counts;
}

function slowest(answers: readonly Sent[]): number {
  return Math.max(0, ...answers.map((a) => a.latencyMs));
}

describeEachVariant(
  'limits shared through Redis by two gateways',
  (variant) => {
    let proxy: TcpProxy;
    let platform: TestPlatform;
    let other: RunningGateway;
    let clock: RunningClock;
    let gateways: string[];

    beforeAll(async () => {
      proxy = await startTcpProxy(variant.redisUrl!);
      // Noon UTC: a daily quota's window is hours away from either end, whatever time the suite runs.
      const today = new Date();
      clock = runningClock(
        new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 12)),
      );
      platform = await startTestPlatform({
        dialect: variant.dialect,
        // The backends and the clean-up use Redis directly; the gateways (REDIS_URL below) only through the proxy.
        redisUrl: variant.redisUrl!,
        clock,
        env: {
          REDIS_URL: proxy.url,
          PORTICO_GATEWAY_WORKERS: String(GATEWAYS),
          // A shared CI machine can stall the event loop past the 100 ms default during a 500-request burst; the
          // budget is an option, and 250 ms keeps a hung Redis well under the 1 s this suite holds requests to.
          PORTICO_REDIS_TIMEOUT_MS: '250',
        },
      });
      other = await platform.startAnotherGateway();
      gateways = [platform.gatewayUrl, other.url];
    });
    afterAll(async () => {
      proxy?.restore();
      await platform?.stop();
      await proxy?.close();
    });

    const call = (gateway: number, credential: TestCredential): Promise<Answer> =>
      send(new URL(CUSTOMERS, gateways[gateway]), {
        headers: { authorization: `Bearer ${credential.apiKey}` },
      }).then((sent) => ({ ...sent, gateway }));

    /** All at once: `perGateway[i]` requests to gateway i, interleaved. */
    function burst(credential: TestCredential, perGateway: readonly number[]): Promise<Answer[]> {
      const calls: Array<Promise<Answer>> = [];
      const total = perGateway.reduce((a, b) => a + b, 0);
      const left = [...perGateway];
      for (let i = 0; calls.length < total; i++) {
        const gateway = i % perGateway.length;
        if (left[gateway]! > 0) {
          left[gateway]! -= 1;
          calls.push(call(gateway, credential));
        }
      }
      return Promise.all(calls);
    }

    const onGateway = (answers: readonly Answer[], gateway: number) =>
      answers.filter((a) => a.gateway === gateway);

    async function partnerOn(limits: Parameters<TestPlatform['plan']>[0]): Promise<TestCredential> {
      return platform.partner({ planId: await platform.plan(limits) });
    }

    /**
     * Until both gateways count in Redis again: a probe app's quota answers 200 on each (ioredis reconnects alone,
     * and the limits' hung-store pause ends by itself). Each test starts from there, whatever the last one left.
     */
    async function redisBackOnBothGateways(): Promise<void> {
      const probe = await partnerOn({ quotas: [{ name: 'day', limit: 1_000_000, period: 'day' }] });
      await eventually(
        'both gateways counting in Redis again',
        async () => {
          const answers = await Promise.all(gateways.map((_, gateway) => call(gateway, probe)));
          return { done: answers.every((a) => a.status === 200), value: answers.map((a) => a.status) };
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
    }

    beforeEach(() => redisBackOnBothGateways());

    test('a quota of 100 a day: 500 concurrent requests over both gateways → exactly 100 × 2xx and 400 × 429 with Retry-After', async () => {
      const app = await partnerOn({ quotas: [{ name: 'day', limit: 100, period: 'day' }] });
      const answers = await burst(app, [250, 250]);
      expect(statuses(answers)).toEqual({ 200: 100, 429: 400 });
      const now = clock.now();
      const endOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      const untilEndOfDaySeconds = Math.ceil((endOfDay - now.getTime()) / 1000);
      for (const refused of answers.filter((a) => a.status === 429)) {
        // RFC 9110 §10.2.3: the quota comes back at 00:00 UTC, which Retry-After names (to the second or two).
        expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(untilEndOfDaySeconds - 5);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(untilEndOfDaySeconds + 1);
        expect(refused.json()).toMatchObject({ code: 'rate_limited', 'violated-policies': ['day'] });
      }
      // Used up for both gateways, not just for the one that counted last.
      expect((await Promise.all(gateways.map((_, g) => call(g, app)))).map((a) => a.status)).toEqual([
        429, 429,
      ]);
    });

    // A refused request's refund runs on its own deadline and never marks Redis hung (policies/limits/counters.ts):
    // slow round trips within the budget must not turn anyone's quota into a 503.
    test('with Redis answering within the budget (~70 ms round trips), refusals never turn into 503s for other apps', async () => {
      const app = await partnerOn({ quotas: [{ name: 'day', limit: 1, period: 'day' }] });
      const bystander = await partnerOn({ quotas: [{ name: 'day', limit: 1_000_000, period: 'day' }] });
      proxy.setLatency(35);
      try {
        expect(statuses(await burst(app, [20, 0]))).toEqual({ 200: 1, 429: 19 });
        expect(statuses(await burst(bystander, [5, 0]))).toEqual({ 200: 5 });
      } finally {
        proxy.setLatency(0);
      }
    });

    describe.each(['refuse', 'blackhole'] as const)('Redis cut away (%s)', (mode: CutMode) => {
      test(`mid-run: no request waits over ${MAX_WAIT_MS} ms; quotas answer 503 + Retry-After, rate limits keep admitting; both resume after restore`, async () => {
        const quotaApp = await partnerOn({ quotas: [{ name: 'day', limit: 1_000_000, period: 'day' }] });
        const rateApp = await partnerOn({
          rateLimits: [{ name: 'minute', limit: 1_000_000, windowSeconds: 60 }],
        });
        const apps = [quotaApp, rateApp];
        const answers: Array<Answer & { app: 'quota' | 'rate' }> = [];
        let stopped = false;
        // Paced, so that the per-IP limiter before authentication (2000/s) never enters the picture.
        const worker = async (offset: number) => {
          for (let i = offset; !stopped; i++) {
            const app = i % 2;
            const answer = await call(Math.floor(i / 2) % GATEWAYS, apps[app]!);
            answers.push({ ...answer, app: app === 0 ? 'quota' : 'rate' });
            await delay(10);
          }
        };
        const workers = [0, 1, 2, 3].map(worker);
        let cutAtMs = 0;
        let restoredAtMs = 0;
        try {
          await delay(300);
          cutAtMs = performance.now();
          proxy.cut(mode);
          await delay(1_500);
        } finally {
          restoredAtMs = performance.now();
          proxy.restore();
        }
        let recoveredAtMs = 0;
        try {
          await eventually(
            'a quota counted again on both gateways',
            async () => {
              const back = new Set(
                answers
                  .filter((a) => a.app === 'quota' && a.startedAtMs > restoredAtMs && a.status === 200)
                  .map((a) => a.gateway),
              );
              return { done: back.size === GATEWAYS, value: [...back] };
            },
            { timeoutMs: 10_000, intervalMs: 20 },
          );
          recoveredAtMs = performance.now();
          await delay(300);
        } finally {
          stopped = true;
          await Promise.all(workers);
        }

        expect(slowest(answers)).toBeLessThan(MAX_WAIT_MS);
        const before = answers.filter((a) => a.startedAtMs + a.latencyMs < cutAtMs);
        const during = answers.filter(
          (a) => a.startedAtMs > cutAtMs && a.startedAtMs + a.latencyMs < restoredAtMs,
        );
        const after = answers.filter((a) => a.startedAtMs > recoveredAtMs);
        const of = (list: typeof answers, app: 'quota' | 'rate') => list.filter((a) => a.app === app);

        expect(statuses(before)).toEqual({ 200: before.length });
        expect(of(during, 'quota').length).toBeGreaterThanOrEqual(10);
        expect(of(during, 'rate').length).toBeGreaterThanOrEqual(10);
        expect(statuses(of(during, 'quota'))).toEqual({ 503: of(during, 'quota').length });
        for (const refused of of(during, 'quota')) {
          expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
          expect(refused.json()).toMatchObject({ status: 503, code: 'service_unavailable' });
        }
        expect(statuses(of(during, 'rate'))).toEqual({ 200: of(during, 'rate').length });
        expect(after.length).toBeGreaterThan(0);
        expect(statuses(after)).toEqual({ 200: after.length });
      });

      test('the insurance limiter admits limit / N per gateway while Redis is away; afterwards rate limit and quota are exact again', async () => {
        // One minute window for everything counted while Redis is away.
        clock.set(nextMinute(clock));
        const rateApp = await partnerOn({ rateLimits: [{ name: 'minute', limit: 40, windowSeconds: 60 }] });
        const quotaApp = await partnerOn({ quotas: [{ name: 'day', limit: 100, period: 'day' }] });
        let rateDuring: Answer[];
        let quotaDuring: Answer[];
        proxy.cut(mode);
        try {
          rateDuring = await burst(rateApp, [30, 10]);
          quotaDuring = await burst(quotaApp, [5, 5]);
        } finally {
          proxy.restore();
        }
        // 40 a minute over 2 gateways: each admits 20 on its own (limits-options.ts, `insurance`).
        expect(statuses(onGateway(rateDuring, 0))).toEqual({ 200: 20, 429: 10 });
        expect(statuses(onGateway(rateDuring, 1))).toEqual({ 200: 10 });
        for (const refused of rateDuring.filter((a) => a.status === 429)) {
          expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
        }
        expect(statuses(quotaDuring)).toEqual({ 503: 10 });
        expect(quotaDuring.every((a) => /^[1-9]\d*$/.test(String(a.headers['retry-after'])))).toBe(true);
        expect(slowest([...rateDuring, ...quotaDuring])).toBeLessThan(MAX_WAIT_MS);

        await redisBackOnBothGateways();
        // A fresh day (and minute): what was counted, or half-counted, during the outage is out of the picture.
        clock.set(noonOfNextDay(clock));
        // Uneven on purpose: per-process counting would admit at most 20 + 10 here, shared counting exactly 40.
        const rateAfter = await burst(rateApp, [50, 10]);
        expect(statuses(rateAfter)).toEqual({ 200: 40, 429: 20 });
        const quotaAfter = await burst(quotaApp, [120, 30]);
        expect(statuses(quotaAfter)).toEqual({ 200: 100, 429: 50 });
      });
    });
  },
  { requireRedis: true },
);
