// The breaker's state machine, driven by a manual clock: closed → open → half-open → closed (or open again).
import { manualClock } from '../../../../internal/src/clock';
import { createCircuitBreaker, type CircuitState } from './circuit-breaker';

function breaker(options: { failureThreshold?: number; coolDownMs?: number } = {}) {
  const clock = manualClock();
  const transitions: string[] = [];
  const cb = createCircuitBreaker({
    failureThreshold: 3,
    coolDownMs: 10_000,
    ...options,
    clock,
    onTransition: (from: CircuitState, to: CircuitState) => transitions.push(`${from}→${to}`),
  });
  const fail = () => cb.onFailure(cb.tryAcquire());
  return { cb, clock, transitions, fail };
}

describe('circuit breaker', () => {
  test('opens after N consecutive failures and refuses with the remaining cool-down', () => {
    const { cb, clock, fail } = breaker();
    fail();
    fail();
    expect(cb.state).toBe('closed');
    fail();
    expect(cb.state).toBe('open');
    expect(cb.tryAcquire()).toEqual({ admitted: false, retryAfterSeconds: 10 });
    clock.advance(8_500);
    expect(cb.tryAcquire()).toEqual({ admitted: false, retryAfterSeconds: 2 });
  });

  test('a success resets the count: only consecutive failures open it', () => {
    const { cb, fail } = breaker();
    fail();
    fail();
    cb.onSuccess(cb.tryAcquire());
    fail();
    fail();
    expect(cb.state).toBe('closed');
  });

  test('after the cool-down exactly one trial goes through; its success closes the circuit', () => {
    const { cb, clock, transitions, fail } = breaker();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(10_000);
    const trial = cb.tryAcquire();
    expect(trial).toEqual({ admitted: true, trial: true });
    expect(cb.state).toBe('half_open');
    expect(cb.tryAcquire()).toEqual({ admitted: false, retryAfterSeconds: 1 });
    cb.onSuccess(trial);
    expect(cb.state).toBe('closed');
    expect(cb.tryAcquire()).toEqual({ admitted: true, trial: false });
    expect(transitions).toEqual(['closed→open', 'open→half_open', 'half_open→closed']);
  });

  test('a failed trial reopens the circuit for a full cool-down', () => {
    const { cb, clock, fail } = breaker();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(10_000);
    cb.onFailure(cb.tryAcquire());
    expect(cb.state).toBe('open');
    expect(cb.tryAcquire()).toEqual({ admitted: false, retryAfterSeconds: 10 });
  });

  test('a trial without a verdict frees the slot for the next request', () => {
    const { cb, clock, fail } = breaker();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(10_000);
    cb.onNeutral(cb.tryAcquire());
    expect(cb.state).toBe('half_open');
    expect(cb.tryAcquire()).toEqual({ admitted: true, trial: true });
  });

  test('outcomes of requests admitted before the circuit opened do not decide the trial', () => {
    const { cb, clock, fail } = breaker({ failureThreshold: 1 });
    const early = cb.tryAcquire();
    fail();
    clock.advance(10_000);
    const trial = cb.tryAcquire();
    cb.onSuccess(early);
    expect(cb.state).toBe('half_open');
    cb.onFailure(early);
    expect(cb.state).toBe('half_open');
    cb.onSuccess(trial);
    expect(cb.state).toBe('closed');
  });

  test('refuses nonsensical options', () => {
    expect(() => breaker({ failureThreshold: 0 })).toThrow(/failureThreshold/);
    expect(() => breaker({ coolDownMs: -1 })).toThrow(/coolDownMs/);
  });
});
