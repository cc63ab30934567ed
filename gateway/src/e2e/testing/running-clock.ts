// A clock that runs at real speed from wherever a test puts it, and can be moved forward. End-to-end suites that
// count in calendar windows (a day's quota, a minute's rate limit) place it at a window's start so that a run never
// straddles a boundary, and jump it to the next window instead of waiting for it.
import type { Clock } from '../../../../internal/src/clock';

export interface RunningClock extends Clock {
  /** From now on the clock reads `to`, plus the real time elapsed since. Never earlier than it reads now. */
  set(to: Date): void;
}

export function runningClock(start: Date): RunningClock {
  let anchorMs = start.getTime();
  let anchorPerfMs = performance.now();
  const now = () => new Date(anchorMs + (performance.now() - anchorPerfMs));
  return {
    now,
    set(to) {
      if (to.getTime() < now().getTime()) throw new Error('a running clock only moves forward');
      anchorMs = to.getTime();
      anchorPerfMs = performance.now();
    },
  };
}

/** The start of the next whole minute after `clock`'s time (UTC). */
export function nextMinute(clock: Clock): Date {
  return new Date((Math.floor(clock.now().getTime() / 60_000) + 1) * 60_000);
}

/** 12:00 UTC of the day after `clock`'s date: a fresh daily quota, far from either end of its day. */
export function noonOfNextDay(clock: Clock): Date {
  const now = clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12));
}
