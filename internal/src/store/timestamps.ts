// Timestamps are stored as ISO-8601 UTC text with milliseconds (`2026-11-24T09:30:00.000Z`), so that comparing the
// text compares the instants on both engines. Whatever a caller sends (an offset, no milliseconds) is normalised
// here; an instant the format allows but the store cannot keep in that form is refused with a pointer.
import { ProblemError } from '../problem/problem';

const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Normalises an RFC 3339 date-time from a request. `culprit` names it when it cannot be stored: a JSON pointer into
 * the body (a string), or a query parameter.
 */
export function toStoredTimestamp(value: string, culprit: string | { parameter: string }): string {
  const time = new Date(value).getTime();
  // RFC 3339 allows a leap second (23:59:60) that JavaScript cannot represent, and years beyond 9999 would leave
  // the fixed-width form (`+010000-…`) and break text ordering.
  const stored = Number.isNaN(time) ? '' : new Date(time).toISOString();
  if (!STORED_FORM.test(stored)) {
    throw new ProblemError('validation_failed', `'${value}' is not a storable date-time.`, {
      errors: [
        {
          ...(typeof culprit === 'string' ? { pointer: culprit } : culprit),
          detail: 'must be an RFC 3339 date-time between years 0000 and 9999, without a leap second',
        },
      ],
    });
  }
  return stored;
}

/** The stored form of `timestamp` plus whole days. */
export function addDays(timestamp: string, days: number): string {
  return new Date(new Date(timestamp).getTime() + days * 86_400_000).toISOString();
}
