// A circuit breaker for one upstream: after `failureThreshold` consecutive failures it refuses requests for
// `coolDownMs` (503 + Retry-After at the proxy), then lets one trial request through; the trial's outcome closes
// or reopens it. Time comes from the injected clock, so tests advance it instead of sleeping.
//
// What counts as a failure is the caller's decision (upstream-proxy.ts): transport failures only — the upstream
// could not be reached, the connection broke before an answer, or no answer came in time. A backend's 5xx is its
// own answer, passed through untouched (DESIGN.md), and never opens the circuit.
import type { Clock } from '../../../../internal/src/clock';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long an open circuit refuses before it lets one trial through. Default 10 000 ms. */
  coolDownMs?: number;
}

export const CIRCUIT_BREAKER_DEFAULTS = { failureThreshold: 5, coolDownMs: 10_000 } as const;

/** Admission of one request; report its outcome exactly once through the breaker. */
export type CircuitTicket =
  { admitted: true; trial: boolean } | { admitted: false; retryAfterSeconds: number };

export interface CircuitBreaker {
  readonly state: CircuitState;
  tryAcquire(): CircuitTicket;
  /** The upstream answered (any status). */
  onSuccess(ticket: CircuitTicket): void;
  /** A transport failure: unreachable, broken connection, or timeout. */
  onFailure(ticket: CircuitTicket): void;
  /** No verdict (the caller went away, or the gateway itself failed): frees the trial slot if this was the trial. */
  onNeutral(ticket: CircuitTicket): void;
}

export function createCircuitBreaker(
  options: CircuitBreakerOptions & {
    clock: Clock;
    onTransition?: (from: CircuitState, to: CircuitState) => void;
  },
): CircuitBreaker {
  const failureThreshold = options.failureThreshold ?? CIRCUIT_BREAKER_DEFAULTS.failureThreshold;
  const coolDownMs = options.coolDownMs ?? CIRCUIT_BREAKER_DEFAULTS.coolDownMs;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    throw new Error(`circuit breaker failureThreshold must be a positive integer, got ${failureThreshold}`);
  }
  if (!(coolDownMs >= 0)) throw new Error(`circuit breaker coolDownMs must be ≥ 0, got ${coolDownMs}`);

  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let openedAtMs = 0;
  let trialInFlight = false;

  const now = () => options.clock.now().getTime();
  const moveTo = (next: CircuitState) => {
    if (next === state) return;
    const from = state;
    state = next;
    options.onTransition?.(from, next);
  };
  const open = () => {
    openedAtMs = now();
    trialInFlight = false;
    moveTo('open');
  };

  return {
    get state() {
      return state;
    },

    tryAcquire() {
      if (state === 'closed') return { admitted: true, trial: false };
      if (state === 'open') {
        const remainingMs = openedAtMs + coolDownMs - now();
        if (remainingMs > 0)
          return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
        moveTo('half_open');
      }
      // Half-open: exactly one trial at a time; the others are refused as if open, for a second at most.
      if (trialInFlight) return { admitted: false, retryAfterSeconds: 1 };
      trialInFlight = true;
      return { admitted: true, trial: true };
    },

    onSuccess(ticket) {
      if (!ticket.admitted) return;
      if (state === 'closed') consecutiveFailures = 0;
      else if (state === 'half_open' && ticket.trial) {
        trialInFlight = false;
        consecutiveFailures = 0;
        moveTo('closed');
      }
      // Open: a request admitted before the circuit opened proves little about now; the trial decides.
    },

    onFailure(ticket) {
      if (!ticket.admitted) return;
      if (state === 'closed') {
        consecutiveFailures += 1;
        if (consecutiveFailures >= failureThreshold) open();
      } else if (state === 'half_open' && ticket.trial) {
        open();
      }
    },

    onNeutral(ticket) {
      if (ticket.admitted && ticket.trial && state === 'half_open') trialInFlight = false;
    },
  };
}
