// Where a limit's current window starts and ends, from the injected clock. Rate-limit windows are fixed and aligned
// to the epoch (every process agrees on them without talking); quotas follow the UTC calendar, so a daily quota
// resets at 00:00 UTC and a monthly one on the 1st, whatever time the first request of the period came.
import type { PlanQuota, PlanRateLimit } from '../../../../keys/src/store/plans';

const DAY_MS = 86_400_000;

/** One counting window of one limit: its storage id and its bounds (epoch milliseconds, end exclusive). */
export interface LimitWindow {
  /** Part of the storage key: a new id starts a new count, so a window "resets" by changing it. */
  id: string;
  startMs: number;
  endMs: number;
}

export function rateLimitWindow(limit: Pick<PlanRateLimit, 'windowSeconds'>, nowMs: number): LimitWindow {
  const lengthMs = limit.windowSeconds * 1000;
  const index = Math.floor(nowMs / lengthMs);
  return { id: `${limit.windowSeconds}s${index}`, startMs: index * lengthMs, endMs: (index + 1) * lengthMs };
}

export function quotaWindow(quota: Pick<PlanQuota, 'period'>, nowMs: number): LimitWindow {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const mm = String(month + 1).padStart(2, '0');
  if (quota.period === 'day') {
    const startMs = Date.UTC(year, month, now.getUTCDate());
    const dd = String(now.getUTCDate()).padStart(2, '0');
    return { id: `d${year}-${mm}-${dd}`, startMs, endMs: startMs + DAY_MS };
  }
  return { id: `m${year}-${mm}`, startMs: Date.UTC(year, month, 1), endMs: Date.UTC(year, month + 1, 1) };
}

/**
 * Whole seconds until the window ends, rounded up and never 0: the `t` of the RateLimit field and the value of
 * Retry-After are delay-seconds (RFC 9110 §10.2.3), and a client told "0" would retry into the same window.
 */
export function secondsUntilEnd(window: LimitWindow, nowMs: number): number {
  return Math.max(1, Math.ceil((window.endMs - nowMs) / 1000));
}

/** The window's length in seconds: the `w` of RateLimit-Policy (a calendar month is 28 to 31 days long). */
export function windowSeconds(window: LimitWindow): number {
  return Math.round((window.endMs - window.startMs) / 1000);
}

/**
 * How long the store keeps a counter: to the end of its window plus one more window. The id in the key, not the
 * TTL, decides when counting restarts; the margin only absorbs clock skew between processes (and keeps the last
 * period readable a while for the portal).
 */
export function retentionSeconds(window: LimitWindow, nowMs: number): number {
  return secondsUntilEnd(window, nowMs) + windowSeconds(window);
}
