// Time as a dependency, so tests move it instead of sleeping.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where it is put; tests advance it. */
export function manualClock(start: Date | string = '2026-01-01T00:00:00.000Z'): Clock & {
  set(to: Date | string): void;
  advance(ms: number): void;
} {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => {
      current = new Date(to);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export type ManualClock = ReturnType<typeof manualClock>;
