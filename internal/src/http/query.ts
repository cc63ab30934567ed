// Reading validated query parameters. express-openapi-validator coerces them to the spec's types, but Express's
// types still say string (STACK.md pitfall 8), so both spellings are accepted here.
import { toStoredTimestamp } from '../store/timestamps';

export type Query = Record<string, unknown>;

export function queryString<T extends string = string>(query: Query, name: string): T | undefined {
  const value = query[name];
  return typeof value === 'string' && value.length > 0 ? (value as T) : undefined;
}

export function queryBoolean(query: Query, name: string): boolean | undefined {
  const value = query[name];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** Copies only the filters that were given, so that absent ones stay absent (not `undefined` members). */
export function definedOnly<T extends Record<string, unknown>>(filter: T): Partial<T> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A date-time parameter in the stored timestamp form (so that comparing text compares instants), or a 400 naming it. */
export function queryTimestamp(query: Query, name: string): string | undefined {
  const value = queryString(query, name);
  return value === undefined ? undefined : toStoredTimestamp(value, { parameter: name });
}
