// Reads a date-time query parameter as the stored timestamp form, so that comparing text compares instants. A value
// the format allows but the store cannot compare (a leap second, a year past 9999 in UTC) is a 400 naming it.
import { queryString, type Query } from '../../../../internal/src/http/query';
import { ProblemError } from '../../../../internal/src/problem/problem';
import { toStoredTimestamp } from '../../../../internal/src/store/timestamps';

export function queryTimestamp(query: Query, name: string): string | undefined {
  const value = queryString(query, name);
  if (value === undefined) return undefined;
  try {
    return toStoredTimestamp(value, '');
  } catch (error) {
    // toStoredTimestamp names a body member; a query parameter is named by `parameter` (RFC 9457 errors convention).
    if (!(error instanceof ProblemError)) throw error;
    const detail = error.options.errors?.[0]?.detail ?? 'must be a storable date-time';
    throw new ProblemError(error.code, error.detail, { errors: [{ parameter: name, detail }] });
  }
}
