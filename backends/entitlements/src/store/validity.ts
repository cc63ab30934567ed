// A package's validity and the window it gives a grant: rolling (N days from the grant's start) or fixed (the same
// window for every grant, e.g. a flu season).
import { ProblemError } from '../../../../internal/src/problem/problem';
import { addDays, toStoredTimestamp } from '../../../../internal/src/store/timestamps';

export type Validity =
  { kind: 'rolling'; days: number } | { kind: 'fixed'; validFrom: string; validUntil: string };

/** Normalises a validity from a request (a 400 for an unstorable instant, a 422 for an empty fixed window). */
export function normaliseValidity(input: Validity): Validity {
  if (input.kind === 'rolling') return { kind: 'rolling', days: input.days };
  const validFrom = toStoredTimestamp(input.validFrom, '/validity/validFrom');
  const validUntil = toStoredTimestamp(input.validUntil, '/validity/validUntil');
  if (validUntil <= validFrom) {
    throw new ProblemError('unprocessable', 'A fixed validity must end after it starts.', {
      errors: [{ pointer: '/validity/validUntil', detail: 'must be later than validFrom' }],
    });
  }
  return { kind: 'fixed', validFrom, validUntil };
}

/** The window a grant made now gets; `startsAt` (already normalised) only applies to rolling validity. */
export function grantWindow(
  validity: Validity,
  now: string,
  startsAt: string | undefined,
): { startsAt: string; expiresAt: string } {
  if (validity.kind === 'rolling') {
    const start = startsAt ?? now;
    const window = { startsAt: start, expiresAt: addDays(start, validity.days) };
    if (window.expiresAt <= now) {
      throw new ProblemError('unprocessable', 'A grant starting then would already have expired.', {
        errors: [
          { pointer: '/startsAt', detail: `with ${validity.days} days of validity, ends in the past` },
        ],
      });
    }
    return window;
  }
  if (startsAt !== undefined) {
    throw new ProblemError(
      'unprocessable',
      "This package has a fixed validity window; grants follow the package's.",
      {
        errors: [{ pointer: '/startsAt', detail: 'not allowed for a package with fixed validity' }],
      },
    );
  }
  if (validity.validUntil <= now) {
    throw new ProblemError(
      'conflict',
      `The package's validity ended at ${validity.validUntil}; it can no longer be granted.`,
    );
  }
  return { startsAt: validity.validFrom, expiresAt: validity.validUntil };
}
