// Small helpers every service store needs: LIKE patterns with escaped wildcards, text search, JSON columns, paging.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Identity } from '../http/locals';

/** A tenant's partition: every row is written with it and every query filters on it. */
export type TenantScope = Identity;

/** A pattern matching `text` anywhere, with LIKE's wildcards escaped (use with `escape '\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A case-insensitive search for `q` anywhere in any of `columns` (NULL counts as empty). LIKE is case-sensitive
 * on both engines (database.ts), so both sides are lowered; SQLite's lower() folds ASCII only, so that is the
 * portable guarantee.
 */
export function matchesText(columns: readonly string[], q: string): RawBuilder<SqlBool> {
  const pattern = containsPattern(q.toLowerCase());
  const tests = columns.map(
    (column) => sql`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`,
  );
  return sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJsonText<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}
