// Recognises constraint violations from either engine (SQLite via better-sqlite3, PostgreSQL via pg), so that a
// store can turn the database's last-line-of-defence refusals into problems (409, 422) instead of 500s.
interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** A FOREIGN KEY refusal: a referenced row is gone, or a referencing row still exists. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  // PostgreSQL SQLSTATE 23503 foreign_key_violation; SQLite extended result code SQLITE_CONSTRAINT_FOREIGNKEY.
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A UNIQUE (or primary key) refusal. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Whether a unique violation came from the index `indexName` on `table` with `columns`. PostgreSQL names the
 * constraint (the index name); SQLite names only the columns ("UNIQUE constraint failed: t.a, t.b"), so both are
 * checked, and a store can tell which of a table's unique rules a request broke.
 */
export function violatedUniqueIndex(
  error: unknown,
  index: { name: string; table: string; columns: string[] },
): boolean {
  if (!isUniqueViolation(error)) return false;
  const e = error as DriverError;
  if (typeof e.constraint === 'string') return e.constraint === index.name;
  const message = typeof e.message === 'string' ? e.message : '';
  const failed = message.replace(/^.*constraint failed:\s*/i, '').split(/,\s*/);
  const expected = index.columns.map((c) => `${index.table}.${c}`);
  return failed.length === expected.length && expected.every((c) => failed.includes(c));
}
